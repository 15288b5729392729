import { AppError } from '../errors/app-error.js';
import type { RoomRole } from './membership.entity.js';
import type { RoomRecord } from './room.entity.js';

/**
 * Who may do what in a room. Roles rank owner > admin > member:
 * - anyone may see a public room; private and direct rooms exist only for their members
 *   (everyone else gets ROOM_NOT_FOUND, so ids of private rooms cannot be probed);
 * - owner and admins rename, re-topic and add members; only the owner deletes the room
 *   and grants admin; an admin removes members, the owner removes admins and members;
 *   nobody removes the owner, and the owner cannot leave (delete the room instead);
 * - a direct room always has exactly its two members and no owner: it cannot be
 *   renamed, joined, left, extended or deleted.
 */
export const RANK: Readonly<Record<RoomRole, number>> = { owner: 3, admin: 2, member: 1 };

/** Throws ROOM_NOT_FOUND when the room does not exist or is hidden from this user. */
export function assertVisible(room: RoomRecord | null, role: RoomRole | null): asserts room is RoomRecord {
  if (room === null || (role === null && room.kind !== 'public'))
    throw new AppError('ROOM_NOT_FOUND', 'room not found');
}

export function assertMember(role: RoomRole | null): asserts role is RoomRole {
  if (role === null) throw new AppError('AUTH_FORBIDDEN', 'you are not a member of this room');
}

export function assertNotDirect(room: RoomRecord, action: string): void {
  if (room.kind === 'direct') {
    throw new AppError('ROOM_DIRECT_FIXED', `cannot ${action} a direct room: it always has exactly its two members`);
  }
}

export function assertCanManage(role: RoomRole | null, action: string): void {
  assertMember(role);
  if (RANK[role] < RANK.admin) throw new AppError('AUTH_FORBIDDEN', `only the room's owner or admins may ${action}`);
}

export function assertCanDelete(role: RoomRole | null): void {
  assertMember(role);
  if (role !== 'owner') throw new AppError('AUTH_FORBIDDEN', "only the room's owner may delete it");
}

export function assertCanGrant(actor: RoomRole | null, role: RoomRole): void {
  assertCanManage(actor, 'add members');
  if (role === 'owner') throw new AppError('VALIDATION_FAILED', 'a room has one owner; add members as admin or member');
  if (role === 'admin' && actor !== 'owner')
    throw new AppError('AUTH_FORBIDDEN', "only the room's owner may make admins");
}

export function assertCanRemove(actor: RoomRole | null, target: RoomRole): void {
  assertCanManage(actor, 'remove members');
  if (target === 'owner') throw new AppError('ROOM_OWNER_IMMUTABLE', "the room's owner cannot be removed");
  if (RANK[target] >= RANK[actor!]) throw new AppError('AUTH_FORBIDDEN', `an ${actor} cannot remove an ${target}`);
}

export function assertCanLeave(role: RoomRole | null): void {
  if (role === null) throw new AppError('ROOM_NOT_MEMBER', 'you are not a member of this room');
  if (role === 'owner')
    throw new AppError('ROOM_OWNER_IMMUTABLE', 'the owner cannot leave the room; delete it instead');
}
