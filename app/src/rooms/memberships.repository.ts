import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { DATA_SOURCE } from '../database/database.tokens.js';
import { isUniqueViolation } from '../database/query-errors.js';
import { Transactions } from '../database/transactions.js';
import { AppError } from '../errors/app-error.js';
import { MembershipEntity, type MembershipRecord, type RoomRole } from './membership.entity.js';

/** Reads and writes `memberships`. */
@Injectable()
export class MembershipsRepository {
  private readonly memberships: Repository<MembershipRecord>;

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(Transactions) private readonly transactions: Transactions,
  ) {
    this.memberships = dataSource.getRepository(MembershipEntity);
  }

  find(roomId: string, userId: string): Promise<MembershipRecord | null> {
    return this.memberships.findOneBy({ roomId, userId });
  }

  /** Members in the order they joined. */
  listByRoom(roomId: string): Promise<MembershipRecord[]> {
    return this.memberships.find({ where: { roomId }, order: { joinedAt: 'ASC', userId: 'ASC' } });
  }

  listByUser(userId: string): Promise<MembershipRecord[]> {
    return this.memberships.find({ where: { userId }, order: { joinedAt: 'ASC', roomId: 'ASC' } });
  }

  /** Rejects with ROOM_MEMBER_EXISTS when the user is already in the room. */
  async insert(membership: MembershipRecord): Promise<void> {
    try {
      await this.transactions.write((manager) => manager.getRepository(MembershipEntity).insert(membership));
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('ROOM_MEMBER_EXISTS', 'the user is already a member of this room');
      throw error;
    }
  }

  /**
   * Deletes the membership; when there was one, `alongside` runs in the same transaction (the
   * revocation that must commit with it). Returns its result, or undefined when there was none.
   */
  async delete<T>(
    roomId: string,
    userId: string,
    alongside: (manager: EntityManager) => Promise<T>,
  ): Promise<T | undefined> {
    return this.transactions.run(async (manager) => {
      const result = await manager.getRepository(MembershipEntity).delete({ roomId, userId });
      return (result.affected ?? 0) > 0 ? alongside(manager) : undefined;
    });
  }

  async setRole(roomId: string, userId: string, role: RoomRole): Promise<boolean> {
    const result = await this.transactions.write((manager) =>
      manager.getRepository(MembershipEntity).update({ roomId, userId }, { role }),
    );
    return (result.affected ?? 0) > 0;
  }

  /**
   * Moves the read marker forward to `seq`; never backwards, so markers sent out of order
   * by several devices of one user settle on the highest. Returns whether it moved.
   */
  async markRead(roomId: string, userId: string, seq: number): Promise<boolean> {
    const result = await this.transactions.write((manager) =>
      manager
        .createQueryBuilder()
        .update(MembershipEntity)
        .set({ lastReadSeq: seq })
        .where('room_id = :roomId AND user_id = :userId AND last_read_seq < :seq', { roomId, userId, seq })
        .execute(),
    );
    return (result.affected ?? 0) > 0;
  }
}
