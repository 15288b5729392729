import type { FeatureTables } from '../database/feature-tables.js';
import { CreateIdentityTables1795598400000 } from './migrations/1795598400000-create-identity-tables.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { UserEntity } from './user.entity.js';

/** Users and refresh tokens. */
export const IDENTITY_TABLES: FeatureTables = {
  entities: [UserEntity, RefreshTokenEntity],
  migrations: [CreateIdentityTables1795598400000],
};
