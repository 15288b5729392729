import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { DATA_SOURCE } from '../database/database.tokens.js';
import { persistedValue } from '../database/persisted-value.js';
import { Transactions } from '../database/transactions.js';
import { RefreshTokenEntity, type RefreshTokenRecord } from './refresh-token.entity.js';

/** Reads and writes `refresh_tokens`; knows nothing about what a token is worth. */
@Injectable()
export class RefreshTokensRepository {
  private readonly tokens: Repository<RefreshTokenRecord>;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(Transactions) private readonly transactions: Transactions,
  ) {
    this.tokens = dataSource.getRepository(RefreshTokenEntity);
  }

  async insert(token: RefreshTokenRecord): Promise<void> {
    await this.transactions.write((manager) => manager.getRepository(RefreshTokenEntity).insert(token));
  }

  findByHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
    return this.tokens.findOneBy({ tokenHash });
  }

  findById(id: string): Promise<RefreshTokenRecord | null> {
    return this.tokens.findOneBy({ id });
  }

  /**
   * Marks `currentId` as spent by `next` and stores `next`, atomically. The update only
   * matches a token that is still live, so of two concurrent refreshes with the same
   * token exactly one wins; the loser gets false and is treated as a re-use.
   */
  async rotate(currentId: string, next: RefreshTokenRecord, now: Date): Promise<boolean> {
    return this.transactions.run(async (manager) => {
      const spent = await manager
        .createQueryBuilder()
        .update(RefreshTokenEntity)
        .set({ revokedAt: now, replacedBy: next.id })
        .where('id = :id AND revoked_at IS NULL', { id: currentId })
        .execute();
      if (spent.affected !== 1) return false;
      await manager.getRepository(RefreshTokenEntity).insert(next);
      return true;
    });
  }

  /**
   * Revokes every still-live token of the family; when there were any, `alongside` runs in the
   * same transaction (the revocation that must commit with it). Returns how many there were.
   */
  async revokeFamily(
    familyId: string,
    now: Date,
    alongside: (manager: EntityManager) => Promise<unknown> = async () => undefined,
  ): Promise<number> {
    return this.transactions.run(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(RefreshTokenEntity)
        .set({ revokedAt: now })
        .where('family_id = :familyId AND revoked_at IS NULL', { familyId })
        .execute();
      const revoked = result.affected ?? 0;
      if (revoked > 0) await alongside(manager);
      return revoked;
    });
  }

  /**
   * Deletes tokens past their expiry. Spent tokens are kept until then on purpose: they
   * are what re-use detection recognises.
   */
  async deleteExpired(now: Date): Promise<number> {
    const cutoff = persistedValue(this.dataSource, RefreshTokenEntity, 'expiresAt', now);
    const result = await this.transactions.write((manager) =>
      manager
        .createQueryBuilder()
        .delete()
        .from(RefreshTokenEntity)
        .where('expires_at < :cutoff', { cutoff })
        .execute(),
    );
    return result.affected ?? 0;
  }
}
