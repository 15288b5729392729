import { Inject, Injectable } from '@nestjs/common';
import { revokingChange } from '../revocations/revocation-failure.js';
import { RevocationLog } from '../revocations/revocation-log.js';
import { AppError } from '../errors/app-error.js';
import { AccountsService, type UserRef } from '../identity/accounts.service.js';
import { MembershipCache } from './membership-cache.js';
import type { MembershipRecord, RoomRole } from './membership.entity.js';
import { MembershipsRepository } from './memberships.repository.js';
import { MemberView } from './member.view.js';
import { assertCanGrant, assertCanLeave, assertCanRemove, assertNotDirect, assertVisible } from './room-policy.js';
import { RoomEvents } from './room-events.js';
import { RoomsRepository } from './rooms.repository.js';

/**
 * Who is in which room. roleOf() is the hot path (every SUBSCRIBE and SEND) and is
 * cached; every change here invalidates the cache before returning, and removals are
 * announced through RoomEvents. REST decisions read roles fresh from the database, so a
 * stale cache on another instance can never grant an admin action.
 */
@Injectable()
export class MembershipsService {
  constructor(
    @Inject(MembershipsRepository) private readonly memberships: MembershipsRepository,
    @Inject(RoomsRepository) private readonly rooms: RoomsRepository,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(MembershipCache) private readonly cache: MembershipCache,
    @Inject(RoomEvents) private readonly events: RoomEvents,
    @Inject(RevocationLog) private readonly revocations: RevocationLog,
  ) {}

  /** The user's role in the room, or null; from the cache when it has a fresh answer. */
  async roleOf(roomId: string, userId: string): Promise<RoomRole | null> {
    const cached = this.cache.get(roomId, userId);
    if (cached !== undefined) return cached;
    const generation = this.cache.generation;
    const role = (await this.memberships.find(roomId, userId))?.role ?? null;
    this.cache.set(roomId, userId, role, generation);
    return role;
  }

  /** The user's role read from the database, for decisions that change things. */
  async freshRoleOf(roomId: string, userId: string): Promise<RoomRole | null> {
    return (await this.memberships.find(roomId, userId))?.role ?? null;
  }

  async list(actorId: string, roomId: string): Promise<MemberView[]> {
    const room = await this.rooms.findById(roomId);
    assertVisible(room, await this.freshRoleOf(roomId, actorId));
    const members = await this.memberships.listByRoom(roomId);
    const users = new Map((await this.accounts.findMany(members.map((m) => m.userId))).map((user) => [user.id, user]));
    return members.flatMap((member) => {
      const user = users.get(member.userId);
      return user === undefined ? [] : [MemberView.of(member, user)];
    });
  }

  /** Ids of every room the user is in, e.g. to tell them all when the user comes online. */
  async roomIdsOf(userId: string): Promise<string[]> {
    return (await this.memberships.listByUser(userId)).map((membership) => membership.roomId);
  }

  /** Joins a public room; joining one you are already in just returns that membership. */
  async join(actorId: string, roomId: string): Promise<MembershipRecord> {
    const room = await this.rooms.findById(roomId);
    const existing = await this.memberships.find(roomId, actorId);
    assertVisible(room, existing?.role ?? null);
    if (existing !== null) return existing;
    if (room.kind !== 'public') throw new AppError('ROOM_NOT_FOUND', 'room not found');
    return this.insert({ roomId, userId: actorId, role: 'member', joinedAt: new Date(), lastReadSeq: 0 });
  }

  /** An owner or admin adds someone (by id or username) as member, or (owner only) admin. */
  async add(actorId: string, roomId: string, ref: UserRef, role: RoomRole = 'member'): Promise<MemberView> {
    const room = await this.rooms.findById(roomId);
    const actorRole = await this.freshRoleOf(roomId, actorId);
    assertVisible(room, actorRole);
    assertNotDirect(room, 'add members to');
    assertCanGrant(actorRole, role);
    const user = await this.accounts.resolve(ref);
    const membership = await this.insert({ roomId, userId: user.id, role, joinedAt: new Date(), lastReadSeq: 0 });
    return MemberView.of(membership, user);
  }

  /** An owner or admin removes someone of lower rank; removing yourself is leave(). */
  async remove(actorId: string, roomId: string, userId: string): Promise<void> {
    if (userId === actorId) return this.leave(actorId, roomId);
    const room = await this.rooms.findById(roomId);
    const actorRole = await this.freshRoleOf(roomId, actorId);
    assertVisible(room, actorRole);
    assertNotDirect(room, 'remove members from');
    const target = await this.freshRoleOf(roomId, userId);
    if (target === null) throw new AppError('ROOM_NOT_MEMBER', 'that user is not a member of this room');
    assertCanRemove(actorRole, target);
    await this.delete(roomId, userId, 'removed');
  }

  async leave(actorId: string, roomId: string): Promise<void> {
    const room = await this.rooms.findById(roomId);
    const role = await this.freshRoleOf(roomId, actorId);
    assertVisible(room, role);
    assertNotDirect(room, 'leave');
    assertCanLeave(role);
    await this.delete(roomId, actorId, 'left');
  }

  /** Moves the user's read marker forward (never back). Members only. */
  async markRead(userId: string, roomId: string, seq: number): Promise<void> {
    if (!Number.isSafeInteger(seq) || seq < 0)
      throw new AppError('VALIDATION_FAILED', 'seq must be a non-negative integer');
    if ((await this.roleOf(roomId, userId)) === null)
      throw new AppError('AUTH_FORBIDDEN', 'you are not a member of this room');
    await this.memberships.markRead(roomId, userId, seq);
  }

  /** For RoomsService: forget a room's memberships after it was deleted or created. */
  forgetRoom(roomId: string): void {
    this.cache.invalidateRoom(roomId);
  }

  private async insert(membership: MembershipRecord): Promise<MembershipRecord> {
    try {
      await this.memberships.insert(membership);
    } finally {
      this.cache.invalidate(membership.roomId, membership.userId);
    }
    return membership;
  }

  private async delete(roomId: string, userId: string, reason: string): Promise<void> {
    let revocation;
    try {
      revocation = await revokingChange(`removing a member (${reason})`, () =>
        this.memberships.delete(roomId, userId, (manager) =>
          this.revocations.append(manager, { kind: 'member', userId, roomId, reason }),
        ),
      );
    } finally {
      this.cache.invalidate(roomId, userId);
    }
    if (revocation === undefined) throw new AppError('ROOM_NOT_MEMBER', 'that user is not a member of this room');
    this.events.emitMemberRemoved({ ...revocation, roomId });
  }
}
