/** Nest injection token for the initialised typeorm DataSource (users, rooms, memberships). */
export const DATA_SOURCE = Symbol('DataSource');
