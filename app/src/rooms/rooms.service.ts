import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { revokingChange } from '../revocations/revocation-failure.js';
import { type Revocation, RevocationLog } from '../revocations/revocation-log.js';
import { AppError } from '../errors/app-error.js';
import { AccountsService, type UserRef } from '../identity/accounts.service.js';
import type { MembershipRecord } from './membership.entity.js';
import { MembershipsRepository } from './memberships.repository.js';
import { MembershipsService } from './memberships.service.js';
import { assertCanDelete, assertCanManage, assertNotDirect, assertVisible } from './room-policy.js';
import { RoomEvents } from './room-events.js';
import { RoomReadStates } from './room-read-states.js';
import type { RoomRecord } from './room.entity.js';
import { MyRoomView, RoomView } from './room.view.js';
import { RoomsRepository } from './rooms.repository.js';

export interface NewRoom {
  readonly kind: 'public' | 'private';
  readonly name: string;
  readonly topic?: string | null;
}

export interface RoomChanges {
  readonly name?: string;
  readonly topic?: string | null;
}

/** Rooms: create, list, read, change, delete, and the direct room between two users. */
@Injectable()
export class RoomsService {
  constructor(
    @Inject(RoomsRepository) private readonly rooms: RoomsRepository,
    @Inject(MembershipsRepository) private readonly memberships: MembershipsRepository,
    @Inject(MembershipsService) private readonly membershipService: MembershipsService,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(RoomEvents) private readonly events: RoomEvents,
    @Inject(RoomReadStates) private readonly readStates: RoomReadStates,
    @Inject(RevocationLog) private readonly revocations: RevocationLog,
  ) {}

  /** The creator becomes the owner. */
  async create(actorId: string, input: NewRoom): Promise<RoomView> {
    const now = new Date();
    const room: RoomRecord = {
      id: randomUUID(),
      kind: input.kind,
      name: input.name,
      topic: input.topic ?? null,
      createdBy: actorId,
      directKey: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.rooms.insertWithMembers(room, [this.membership(room.id, actorId, 'owner', now)]);
    this.membershipService.forgetRoom(room.id);
    return RoomView.of(room, 'owner');
  }

  /** Every room the user is in, with their role, read marker and unread count, oldest membership first. */
  async listMine(actorId: string): Promise<MyRoomView[]> {
    const memberships = await this.memberships.listByUser(actorId);
    const [found, readStates] = await Promise.all([
      this.rooms.findByIds(memberships.map((m) => m.roomId)),
      this.readStates.of(actorId, new Map(memberships.map((m) => [m.roomId, m.lastReadSeq]))),
    ]);
    const rooms = new Map(found.map((room) => [room.id, room]));
    return memberships.flatMap((membership) => {
      const room = rooms.get(membership.roomId);
      return room === undefined ? [] : [MyRoomView.ofMembership(room, membership, readStates?.get(room.id))];
    });
  }

  async listPublic(actorId: string, limit: number, offset: number): Promise<RoomView[]> {
    const rooms = await this.rooms.listPublic(limit, offset);
    const mine = new Map((await this.memberships.listByUser(actorId)).map((m) => [m.roomId, m.role]));
    return rooms.map((room) => RoomView.of(room, mine.get(room.id) ?? null));
  }

  /** Members see their rooms; anyone sees a public room; others get ROOM_NOT_FOUND. */
  async get(actorId: string, roomId: string): Promise<RoomView> {
    const room = await this.rooms.findById(roomId);
    const role = await this.membershipService.freshRoleOf(roomId, actorId);
    assertVisible(room, role);
    return RoomView.of(room, role);
  }

  async update(actorId: string, roomId: string, changes: RoomChanges): Promise<RoomView> {
    const room = await this.rooms.findById(roomId);
    const role = await this.membershipService.freshRoleOf(roomId, actorId);
    assertVisible(room, role);
    assertNotDirect(room, 'rename');
    assertCanManage(role, 'change the room');
    const fields: { name?: string; topic?: string | null } = {};
    if (changes.name !== undefined) fields.name = changes.name;
    if (changes.topic !== undefined) fields.topic = changes.topic;
    if (Object.keys(fields).length === 0)
      throw new AppError('VALIDATION_FAILED', 'nothing to change: give name and/or topic');
    const updated = await this.rooms.update(roomId, fields, new Date());
    if (updated === null) throw new AppError('ROOM_NOT_FOUND', 'room not found');
    return RoomView.of(updated, role);
  }

  /** Owner only; every member's live subscriptions are told to end. */
  async delete(actorId: string, roomId: string): Promise<void> {
    const room = await this.rooms.findById(roomId);
    const role = await this.membershipService.freshRoleOf(roomId, actorId);
    assertVisible(room, role);
    assertNotDirect(room, 'delete');
    assertCanDelete(role);
    let revocations;
    try {
      revocations = await revokingChange('deleting a room', () =>
        this.rooms.delete(roomId, async (manager, members) => {
          const stored: Revocation[] = [];
          for (const userId of members) {
            stored.push(
              await this.revocations.append(manager, { kind: 'member', userId, roomId, reason: 'room deleted' }),
            );
          }
          return stored;
        }),
      );
    } finally {
      this.membershipService.forgetRoom(roomId);
    }
    if (revocations === null) throw new AppError('ROOM_NOT_FOUND', 'room not found');
    for (const revocation of revocations) this.events.emitMemberRemoved({ ...revocation, roomId });
  }

  /**
   * The one direct room between the caller and another user: created on first use,
   * the same room from either side afterwards (`created` says which happened).
   */
  async openDirect(actorId: string, ref: UserRef): Promise<{ room: RoomView; created: boolean }> {
    const other = await this.accounts.resolve(ref);
    if (other.id === actorId) throw new AppError('ROOM_DIRECT_SELF', 'a direct room needs another user');
    const directKey = [actorId, other.id].sort().join(':');
    const existing = await this.rooms.findByDirectKey(directKey);
    if (existing !== null) return { room: RoomView.of(existing, 'member'), created: false };
    const now = new Date();
    const room: RoomRecord = {
      id: randomUUID(),
      kind: 'direct',
      name: null,
      topic: null,
      createdBy: actorId,
      directKey,
      createdAt: now,
      updatedAt: now,
    };
    const result = await this.rooms.insertDirect(room, [
      this.membership(room.id, actorId, 'member', now),
      this.membership(room.id, other.id, 'member', now),
    ]);
    this.membershipService.forgetRoom(result.room.id);
    return { room: RoomView.of(result.room, 'member'), created: result.created };
  }

  private membership(roomId: string, userId: string, role: MembershipRecord['role'], now: Date): MembershipRecord {
    return { roomId, userId, role, joinedAt: now, lastReadSeq: 0 };
  }
}
