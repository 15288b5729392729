import { EntitySchema } from 'typeorm';

export const ROOM_KINDS = ['public', 'private', 'direct'] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];

/** A row of `rooms`. */
export interface RoomRecord {
  id: string;
  kind: RoomKind;
  /** Null for direct rooms, which are named after the other member by clients. */
  name: string | null;
  topic: string | null;
  /** Null once the creator's account is deleted. */
  createdBy: string | null;
  /** "<smaller user id>:<larger user id>" for direct rooms, else null. */
  directKey: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const RoomEntity = new EntitySchema<RoomRecord>({
  name: 'Room',
  tableName: 'rooms',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    kind: { type: 'varchar', length: 16 },
    name: { type: 'varchar', length: 100, nullable: true },
    topic: { type: 'varchar', length: 500, nullable: true },
    createdBy: { name: 'created_by', type: 'varchar', length: 36, nullable: true },
    directKey: { name: 'direct_key', type: 'varchar', length: 73, nullable: true },
    createdAt: { name: 'created_at', type: 'datetime' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
  },
});
