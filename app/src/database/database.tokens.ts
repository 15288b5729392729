/** Nest injection token for the initialised typeorm DataSource (users, rooms, memberships). */
export const DATA_SOURCE = Symbol('DataSource');

/** Nest injection token for the FeatureTables the data source maps (TablesModule provides it). */
export const FEATURE_TABLES = Symbol('FeatureTables');
