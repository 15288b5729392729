import { EntitySchema } from 'typeorm';

/**
 * A row of `refresh_tokens`. Every token issued from one login shares a family id, so
 * that a stolen, already-rotated token can take the whole chain down with it.
 */
export interface RefreshTokenRecord {
  id: string;
  userId: string;
  familyId: string;
  /** Hex SHA-256 of the opaque token; the token itself is never stored. */
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  /** Id of the token this one was exchanged for; set means "spent by rotation". */
  replacedBy: string | null;
}

export const RefreshTokenEntity = new EntitySchema<RefreshTokenRecord>({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    userId: { name: 'user_id', type: 'varchar', length: 36 },
    familyId: { name: 'family_id', type: 'varchar', length: 36 },
    tokenHash: { name: 'token_hash', type: 'varchar', length: 64 },
    createdAt: { name: 'created_at', type: 'datetime' },
    expiresAt: { name: 'expires_at', type: 'datetime' },
    revokedAt: { name: 'revoked_at', type: 'datetime', nullable: true },
    replacedBy: { name: 'replaced_by', type: 'varchar', length: 36, nullable: true },
  },
});
