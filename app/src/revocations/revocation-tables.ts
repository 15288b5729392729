import type { FeatureTables } from '../database/feature-tables.js';
import { CreateAccessRevocations1795598700000 } from './migrations/1795598700000-create-access-revocations.js';
import { RevocationEntity } from './revocation.entity.js';

/** The access revocations other instances catch up from. */
export const REVOCATION_TABLES: FeatureTables = {
  entities: [RevocationEntity],
  migrations: [CreateAccessRevocations1795598700000],
};
