import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { DATA_SOURCE } from '../database/database.tokens.js';
import { isUniqueViolation } from '../database/query-errors.js';
import { Transactions } from '../database/transactions.js';
import { MembershipEntity, type MembershipRecord } from './membership.entity.js';
import { RoomEntity, type RoomRecord } from './room.entity.js';

/** Reads and writes `rooms`; creating or deleting a room also writes its memberships. */
@Injectable()
export class RoomsRepository {
  private readonly rooms: Repository<RoomRecord>;

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(Transactions) private readonly transactions: Transactions,
  ) {
    this.rooms = dataSource.getRepository(RoomEntity);
  }

  findById(id: string): Promise<RoomRecord | null> {
    return this.rooms.findOneBy({ id });
  }

  async findByIds(ids: readonly string[]): Promise<RoomRecord[]> {
    if (ids.length === 0) return [];
    return this.rooms.createQueryBuilder('r').where('r.id IN (:...ids)', { ids }).getMany();
  }

  findByDirectKey(directKey: string): Promise<RoomRecord | null> {
    return this.rooms.findOneBy({ directKey });
  }

  /** Public rooms by name, a page at a time. */
  listPublic(limit: number, offset: number): Promise<RoomRecord[]> {
    return this.rooms.find({ where: { kind: 'public' }, order: { name: 'ASC', id: 'ASC' }, take: limit, skip: offset });
  }

  /** Stores the room and its first members together: a room never exists without an owner. */
  async insertWithMembers(room: RoomRecord, members: readonly MembershipRecord[]): Promise<void> {
    await this.transactions.run(async (manager) => {
      await manager.getRepository(RoomEntity).insert(room);
      await manager.getRepository(MembershipEntity).insert([...members]);
    });
  }

  /**
   * Like insertWithMembers for a direct room, except that when another request created the
   * room for the same pair first (the unique direct_key says so), that room is returned.
   */
  async insertDirect(
    room: RoomRecord,
    members: readonly MembershipRecord[],
  ): Promise<{ room: RoomRecord; created: boolean }> {
    if (room.directKey === null) throw new Error('a direct room needs its direct key');
    try {
      await this.insertWithMembers(room, members);
      return { room, created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.findByDirectKey(room.directKey);
      if (existing === null) throw error;
      return { room: existing, created: false };
    }
  }

  /** Applies the given fields; returns the updated room, or null when it is gone. */
  async update(
    id: string,
    changes: Partial<Pick<RoomRecord, 'name' | 'topic'>>,
    now: Date,
  ): Promise<RoomRecord | null> {
    const result = await this.transactions.write((manager) =>
      manager.getRepository(RoomEntity).update({ id }, { ...changes, updatedAt: now }),
    );
    if ((result.affected ?? 0) === 0) return null;
    return this.findById(id);
  }

  /**
   * Deletes the room and its memberships; `alongside` runs in the same transaction with the
   * former members (their revocations commit with the deletion). Null when there was no room.
   */
  async delete<T>(id: string, alongside: (manager: EntityManager, members: string[]) => Promise<T>): Promise<T | null> {
    return this.transactions.run(async (manager) => {
      const members = await manager
        .getRepository(MembershipEntity)
        .find({ where: { roomId: id }, select: { userId: true } });
      // Memberships are deleted explicitly rather than left to the cascade so the result
      // does not depend on SQLite's foreign_keys pragma being on.
      await manager.getRepository(MembershipEntity).delete({ roomId: id });
      const deleted = await manager.getRepository(RoomEntity).delete({ id });
      if ((deleted.affected ?? 0) === 0) return null;
      return alongside(
        manager,
        members.map((member) => member.userId),
      );
    });
  }
}
