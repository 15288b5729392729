import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { revokingChange } from '../revocations/revocation-failure.js';
import { type Revocation, RevocationLog } from '../revocations/revocation-log.js';
import { AppError } from '../errors/app-error.js';
import { AccessTokenDenyList } from './access-token-deny-list.js';
import { AccessTokens } from './access-tokens.js';
import { IdentityEvents } from './identity-events.js';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token.js';
import { PasswordHasher } from './password-hasher.js';
import type { RefreshTokenRecord } from './refresh-token.entity.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import type { TokenPairView } from './token-pair.view.js';
import type { UserRecord } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

/**
 * Login, refresh and logout.
 *
 * Refresh tokens rotate: each is good for one exchange. Presenting one that was already
 * exchanged means two parties hold it (one of them a thief, and we cannot tell which),
 * so the whole family from that login is revoked and the user's live sessions are told
 * to end.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly refreshTtlSeconds: number;
  private dummyHash: Promise<string> | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(RefreshTokensRepository) private readonly refreshTokens: RefreshTokensRepository,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @Inject(AccessTokens) private readonly accessTokens: AccessTokens,
    @Inject(IdentityEvents) private readonly events: IdentityEvents,
    @Inject(RevocationLog) private readonly revocations: RevocationLog,
    @Inject(AccessTokenDenyList) private readonly deniedLogins: AccessTokenDenyList,
  ) {
    this.refreshTtlSeconds = config.auth.jwt.refreshTtlSeconds;
  }

  async login(username: string, password: string): Promise<TokenPairView> {
    const user = await this.users.findByUsername(username);
    // An unknown name costs the same scrypt run as a wrong password, so response time
    // does not tell which usernames exist.
    this.dummyHash ??= this.hasher.hash('dummy password for timing');
    const valid = await this.hasher.verify(password, user?.passwordHash ?? (await this.dummyHash));
    if (user === null || !valid) throw new AppError('AUTH_INVALID', 'username or password is wrong');
    return this.issuePair(user, randomUUID());
  }

  async refresh(refreshToken: string): Promise<TokenPairView> {
    const now = new Date();
    const current = await this.refreshTokens.findByHash(hashOpaqueToken(refreshToken));
    if (current === null) throw new AppError('AUTH_INVALID', 'refresh token is not recognised');
    if (current.replacedBy !== null) return this.reuseDetected(current, now);
    if (current.revokedAt !== null) throw new AppError('AUTH_INVALID', 'refresh token has been revoked; log in again');
    if (current.expiresAt.getTime() <= now.getTime())
      throw new AppError('AUTH_EXPIRED', 'refresh token has expired; log in again');
    const user = await this.users.findById(current.userId);
    if (user === null) throw new AppError('AUTH_INVALID', "the refresh token's user no longer exists");

    const next = newOpaqueToken();
    const record = this.record(user.id, current.familyId, next.hash, now);
    // A concurrent refresh with the same token won the race: that is a second holder too.
    if (!(await this.refreshTokens.rotate(current.id, record, now))) return this.reuseDetected(current, now);
    return this.pair(user, next.token, current.familyId);
  }

  /** Ends the login the refresh token belongs to: every token of its family, and live sessions. */
  async logout(refreshToken: string): Promise<void> {
    const token = await this.refreshTokens.findByHash(hashOpaqueToken(refreshToken));
    if (token === null) throw new AppError('AUTH_INVALID', 'refresh token is not recognised');
    // Logging out twice is harmless; only a logout that ended something is announced.
    const revocation = await this.revokeFamily(token, new Date(), 'logout');
    await this.deniedLogins.deny(token.familyId);
    if (revocation !== undefined) this.events.emitUserSessionsRevoked(revocation);
  }

  private async reuseDetected(token: RefreshTokenRecord, now: Date): Promise<never> {
    const revocation = await this.revokeFamily(token, now, 'refresh token reuse');
    await this.deniedLogins.deny(token.familyId);
    this.logger.warn(
      `refresh token reuse for user ${token.userId} (family ${token.familyId}); live tokens revoked: ${revocation !== undefined}`,
    );
    // A replay against a family that is already dead (say, after logout) has nothing left to end.
    if (revocation !== undefined) this.events.emitUserSessionsRevoked(revocation);
    throw new AppError(
      'AUTH_INVALID',
      'refresh token was already used; every session of that login has been signed out',
    );
  }

  /**
   * Revokes the family's live tokens and, in the same transaction, records the user's
   * revocation; undefined when nothing was live. Success means every instance will apply it.
   */
  private revokeFamily(token: RefreshTokenRecord, now: Date, reason: string): Promise<Revocation | undefined> {
    return revokingChange(reason, async () => {
      let revocation: Revocation | undefined;
      await this.refreshTokens.revokeFamily(token.familyId, now, async (manager) => {
        revocation = await this.revocations.append(manager, { kind: 'user', userId: token.userId, reason }, now);
      });
      return revocation;
    });
  }

  private async issuePair(user: UserRecord, familyId: string): Promise<TokenPairView> {
    const refresh = newOpaqueToken();
    await this.refreshTokens.insert(this.record(user.id, familyId, refresh.hash, new Date()));
    return this.pair(user, refresh.token, familyId);
  }

  private async pair(user: UserRecord, refreshToken: string, familyId: string): Promise<TokenPairView> {
    const access = await this.accessTokens.issue(user, familyId);
    return {
      accessToken: access.token,
      refreshToken,
      expiresIn: access.expiresIn,
      refreshExpiresIn: this.refreshTtlSeconds,
      tokenType: 'Bearer',
    };
  }

  private record(userId: string, familyId: string, tokenHash: string, now: Date): RefreshTokenRecord {
    return {
      id: randomUUID(),
      userId,
      familyId,
      tokenHash,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.refreshTtlSeconds * 1000),
      revokedAt: null,
      replacedBy: null,
    };
  }
}
