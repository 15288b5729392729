import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/database.tokens.js';
import { persistedValue } from '../database/persisted-value.js';
import { Transactions } from '../database/transactions.js';
import { RevocationEntity, type RevocationKind, type RevocationRecord } from './revocation.entity.js';

export type Revocation = Readonly<RevocationRecord>;

export interface RevocationInput {
  readonly kind: RevocationKind;
  readonly userId: string;
  readonly roomId?: string;
  readonly reason: string;
}

/**
 * The durable side of revocations (`access_revocations`). Services append inside the unit of
 * work that makes the change, so the change and its revocation commit or fail together; every
 * instance reads recent rows back through RevocationFeed.
 */
@Injectable()
export class RevocationLog {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(Transactions) private readonly transactions: Transactions,
  ) {}

  /** Stores a revocation within the caller's transaction (`manager`). */
  async append(manager: EntityManager, input: RevocationInput, now = new Date()): Promise<Revocation> {
    const record: RevocationRecord = {
      id: randomUUID(),
      kind: input.kind,
      userId: input.userId,
      roomId: input.roomId ?? null,
      reason: input.reason.slice(0, 64),
      createdAt: now,
    };
    await manager.getRepository(RevocationEntity).insert(record);
    return record;
  }

  /** Revocations created at or after `since`, oldest first. */
  createdSince(since: Date): Promise<Revocation[]> {
    return this.dataSource
      .getRepository(RevocationEntity)
      .createQueryBuilder('r')
      .where('r.created_at >= :since', { since: this.stored(since) })
      .orderBy('r.created_at', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getMany();
  }

  /** Deletes rows older than `before`; returns how many. Idempotent, so every instance may run it. */
  async prune(before: Date): Promise<number> {
    const cutoff = this.stored(before);
    const result = await this.transactions.write((manager) =>
      manager.createQueryBuilder().delete().from(RevocationEntity).where('created_at < :cutoff', { cutoff }).execute(),
    );
    return result.affected ?? 0;
  }

  private stored(date: Date): unknown {
    return persistedValue(this.dataSource, RevocationEntity, 'createdAt', date);
  }
}
