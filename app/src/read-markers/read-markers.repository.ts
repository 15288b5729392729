import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, Repository } from 'typeorm';
import { DATA_SOURCE } from '../database/database.tokens.js';
import { Transactions } from '../database/transactions.js';
import { MembershipEntity, type MembershipRecord } from '../rooms/membership.entity.js';
import type { ReadMarker } from './read-marker-buffer.js';

/** Statements per transaction, so one flush of a busy second never holds locks for long. */
const WRITE_CHUNK = 500;

/**
 * The `last_read_seq` column of `memberships`, read and written in batches. The rooms module
 * owns the table; this is the only writer of that one column in the running service.
 */
@Injectable()
export class ReadMarkersRepository {
  private readonly memberships: Repository<MembershipRecord>;

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(Transactions) private readonly transactions: Transactions,
  ) {
    this.memberships = dataSource.getRepository(MembershipEntity);
  }

  /** The stored marker, or null when the user is not a member of the room. */
  async find(roomId: string, userId: string): Promise<number | null> {
    const membership = await this.memberships.findOne({ where: { roomId, userId }, select: { lastReadSeq: true } });
    return membership === null ? null : membership.lastReadSeq;
  }

  /**
   * One UPDATE per marker, each only ever moving the marker forward, so several instances
   * flushing the same member, in any order, settle on the highest. A marker for a membership
   * that is gone (the user left) changes nothing.
   */
  async writeAll(markers: readonly ReadMarker[]): Promise<void> {
    for (let start = 0; start < markers.length; start += WRITE_CHUNK) {
      const chunk = markers.slice(start, start + WRITE_CHUNK);
      await this.transactions.run(async (manager) => {
        for (const { roomId, userId, seq } of chunk) {
          await manager
            .createQueryBuilder()
            .update(MembershipEntity)
            .set({ lastReadSeq: seq })
            .where('room_id = :roomId AND user_id = :userId AND last_read_seq < :seq', { roomId, userId, seq })
            .execute();
        }
      });
    }
  }
}
