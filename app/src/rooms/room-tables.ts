import type { FeatureTables } from '../database/feature-tables.js';
import { MembershipEntity } from './membership.entity.js';
import { CreateRoomTables1795598400001 } from './migrations/1795598400001-create-room-tables.js';
import { RoomEntity } from './room.entity.js';

/** Rooms and memberships (with each member's read marker). */
export const ROOM_TABLES: FeatureTables = {
  entities: [RoomEntity, MembershipEntity],
  migrations: [CreateRoomTables1795598400001],
};
