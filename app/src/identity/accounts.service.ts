import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { revokingChange } from '../revocations/revocation-failure.js';
import { RevocationLog } from '../revocations/revocation-log.js';
import { AppError } from '../errors/app-error.js';
import { USERNAME_PATTERN, USERNAME_RULE } from './account-rules.js';
import { IdentityEvents } from './identity-events.js';
import { PasswordHasher } from './password-hasher.js';
import type { UserRecord } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

/** A user named by id or by username: exactly one of the two. */
export interface UserRef {
  readonly userId?: string;
  readonly username?: string;
}

/** Creating, finding and deleting accounts. */
@Injectable()
export class AccountsService {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @Inject(IdentityEvents) private readonly events: IdentityEvents,
    @Inject(RevocationLog) private readonly revocations: RevocationLog,
  ) {}

  async register(input: { username: string; password: string; displayName?: string }): Promise<UserRecord> {
    if (!USERNAME_PATTERN.test(input.username))
      throw new AppError('VALIDATION_FAILED', `username must be ${USERNAME_RULE}`);
    // Checked before hashing so a taken name costs no scrypt run; insert still guards races.
    if ((await this.users.findByUsername(input.username)) !== null) {
      throw new AppError('USER_EXISTS', `username '${input.username}' is already taken`);
    }
    const user: UserRecord = {
      id: randomUUID(),
      username: input.username,
      displayName: input.displayName?.trim() || input.username,
      passwordHash: await this.hasher.hash(input.password),
      createdAt: new Date(),
    };
    await this.users.insert(user);
    return user;
  }

  async get(userId: string): Promise<UserRecord> {
    const user = await this.users.findById(userId);
    if (user === null) throw new AppError('USER_NOT_FOUND', 'no such user');
    return user;
  }

  /** The users that exist among `ids`, in no particular order. */
  findMany(ids: readonly string[]): Promise<UserRecord[]> {
    return this.users.findByIds(ids);
  }

  async resolve(ref: UserRef): Promise<UserRecord> {
    const byId = ref.userId !== undefined;
    if (byId === (ref.username !== undefined)) {
      throw new AppError('VALIDATION_FAILED', 'give exactly one of userId or username');
    }
    const user = byId ? await this.users.findById(ref.userId!) : await this.users.findByUsername(ref.username!);
    if (user === null)
      throw new AppError('USER_NOT_FOUND', byId ? `no user with id ${ref.userId}` : `no user named '${ref.username}'`);
    return user;
  }

  /** Deletes the account with its tokens and memberships, and ends its live sessions. */
  async delete(userId: string): Promise<void> {
    const revocation = await revokingChange('account deletion', () =>
      this.users.delete(userId, (manager) =>
        this.revocations.append(manager, { kind: 'user', userId, reason: 'account deleted' }),
      ),
    );
    if (revocation === undefined) throw new AppError('USER_NOT_FOUND', 'no such user');
    this.events.emitUserSessionsRevoked(revocation);
  }
}
