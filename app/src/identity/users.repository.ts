import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { DATA_SOURCE } from '../database/database.tokens.js';
import { isUniqueViolation } from '../database/query-errors.js';
import { Transactions } from '../database/transactions.js';
import { AppError } from '../errors/app-error.js';
import { UserEntity, type UserRecord } from './user.entity.js';

/** Reads and writes `users`. Usernames match case-insensitively on every engine. */
@Injectable()
export class UsersRepository {
  private readonly users: Repository<UserRecord>;

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(Transactions) private readonly transactions: Transactions,
  ) {
    this.users = dataSource.getRepository(UserEntity);
  }

  /** Rejects with USER_EXISTS when the username (in any letter case) is taken. */
  async insert(user: UserRecord): Promise<void> {
    try {
      await this.transactions.write((manager) => manager.getRepository(UserEntity).insert(user));
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('USER_EXISTS', `username '${user.username}' is already taken`);
      throw error;
    }
  }

  findById(id: string): Promise<UserRecord | null> {
    return this.users.findOneBy({ id });
  }

  findByUsername(username: string): Promise<UserRecord | null> {
    return this.users.findOneBy({ username });
  }

  async findByIds(ids: readonly string[]): Promise<UserRecord[]> {
    if (ids.length === 0) return [];
    return this.users.createQueryBuilder('u').where('u.id IN (:...ids)', { ids }).getMany();
  }

  /** Deletes the user; their refresh tokens and memberships go with them (FK cascade). */
  /** Deletes the user; when there was one, `alongside` runs in the same transaction. */
  async delete<T>(id: string, alongside: (manager: EntityManager) => Promise<T>): Promise<T | undefined> {
    return this.transactions.run(async (manager) => {
      const result = await manager.getRepository(UserEntity).delete({ id });
      return (result.affected ?? 0) > 0 ? alongside(manager) : undefined;
    });
  }
}
