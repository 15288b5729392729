import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';
import type { Authenticator, ConnectCredentials } from '../realtime/auth/authenticator.port.js';
import type { Principal } from '../realtime/auth/principal.js';
import { AccessTokenDenyList } from './access-token-deny-list.js';
import { AccessTokens } from './access-tokens.js';
import { UsersRepository } from './users.repository.js';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/**
 * Authenticates STOMP sessions and REST requests with an access token (JWT).
 *
 * The token is taken from, in order: the CONNECT frame's `Authorization: Bearer …`, its
 * `passcode` (for clients that can only set login/passcode), the HTTP upgrade request's
 * `Authorization: Bearer …`. Besides the token itself, the user must still exist: a
 * deleted account's tokens stop working at once rather than when they expire.
 */
@Injectable()
export class JwtAuthenticator implements Authenticator {
  constructor(
    @Inject(AccessTokens) private readonly tokens: AccessTokens,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(AccessTokenDenyList) private readonly denied: AccessTokenDenyList,
  ) {}

  async authenticate(credentials: ConnectCredentials): Promise<Principal> {
    const { authorization, passcode, upgradeAuthorization } = credentials;
    if (present(authorization)) return this.verify(bearerToken(authorization, 'CONNECT Authorization header'));
    if (present(passcode)) return this.verify(passcode.trim().replace(/^Bearer[ \t]+/i, ''));
    if (present(upgradeAuthorization)) return this.verify(bearerToken(upgradeAuthorization, 'Authorization header'));
    throw new AppError(
      'AUTH_REQUIRED',
      'an access token is required: send Authorization: Bearer <token> (or the token as passcode) in CONNECT',
    );
  }

  /** For REST: the request's Authorization header. */
  async authenticateBearer(authorization: string | undefined): Promise<Principal> {
    if (!present(authorization)) {
      throw new AppError('AUTH_REQUIRED', 'this endpoint needs an Authorization: Bearer <access token> header');
    }
    return this.verify(bearerToken(authorization, 'Authorization header'));
  }

  /**
   * In-band renewal for a live session: the new token must be valid and belong to the
   * same user; the result carries the new expiry.
   */
  async renew(current: Principal, token: string): Promise<Principal> {
    const renewed = await this.verify(token.trim().replace(/^Bearer[ \t]+/i, ''));
    if (renewed.userId !== current.userId) {
      throw new AppError('AUTH_INVALID', 'the renewal token belongs to a different user than this session');
    }
    return renewed;
  }

  async verify(token: string): Promise<Principal> {
    if (token === '') throw new AppError('AUTH_REQUIRED', 'the access token is empty');
    const claims = await this.tokens.verify(token);
    if (await this.denied.isDenied(claims.sessionId)) {
      throw new AppError('AUTH_REVOKED', 'this login has been signed out; log in again');
    }
    const user = await this.users.findById(claims.userId);
    if (user === null) throw new AppError('AUTH_INVALID', "the token's user no longer exists");
    return { userId: user.id, username: user.username, expiresAt: claims.expiresAt };
  }
}

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

function bearerToken(header: string, where: string): string {
  const match = BEARER.exec(header.trim());
  if (match === null) throw new AppError('AUTH_INVALID', `${where} must be 'Bearer <token>'`);
  return match[1]!;
}
