import { EntitySchema } from 'typeorm';

/**
 * One access change that live sessions must learn about, as stored in `access_revocations`:
 * `user` ends every session of a user (logout, refresh-token re-use); `member` ends a user's
 * subscriptions to one room (removed, left, room deleted). Written in the same transaction as
 * the change itself, so a change that committed always has its revocation (see
 * docs/adr/0002-durable-revocations.md).
 */
export interface RevocationRecord {
  id: string;
  kind: RevocationKind;
  userId: string;
  /** Set for kind `member`, null for kind `user`. */
  roomId: string | null;
  /** Human-readable and safe to show the user: 'logout', 'removed', 'room deleted', … */
  reason: string;
  createdAt: Date;
}

export type RevocationKind = 'user' | 'member';

export const RevocationEntity = new EntitySchema<RevocationRecord>({
  name: 'AccessRevocation',
  tableName: 'access_revocations',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    kind: { type: 'varchar', length: 16 },
    userId: { name: 'user_id', type: 'varchar', length: 36 },
    roomId: { name: 'room_id', type: 'varchar', length: 36, nullable: true },
    reason: { type: 'varchar', length: 64 },
    createdAt: { name: 'created_at', type: 'datetime' },
  },
});
