import { EntitySchema } from 'typeorm';

export const ROOM_ROLES = ['owner', 'admin', 'member'] as const;
export type RoomRole = (typeof ROOM_ROLES)[number];

/** A row of `memberships`: one user in one room. */
export interface MembershipRecord {
  roomId: string;
  userId: string;
  role: RoomRole;
  joinedAt: Date;
  /** Highest message sequence the member has read; 0 = nothing yet. */
  lastReadSeq: number;
}

export const MembershipEntity = new EntitySchema<MembershipRecord>({
  name: 'Membership',
  tableName: 'memberships',
  columns: {
    roomId: { name: 'room_id', type: 'varchar', length: 36, primary: true },
    userId: { name: 'user_id', type: 'varchar', length: 36, primary: true },
    role: { type: 'varchar', length: 16 },
    joinedAt: { name: 'joined_at', type: 'datetime' },
    lastReadSeq: {
      name: 'last_read_seq',
      type: 'bigint',
      default: 0,
      // mysql2 hands BIGINT back as a string (typeorm turns on bigNumberStrings); message
      // sequences stay far below 2^53, so a number is exact and easier to use.
      transformer: {
        to: (value: number) => value,
        from: (value: string | number | null) => (value === null ? value : Number(value)),
      },
    },
  },
});
