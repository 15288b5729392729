import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService, type JwtSignOptions, type JwtVerifyOptions } from '@nestjs/jwt';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { AppError } from '../errors/app-error.js';
import { JWT_KEYS, type JwtKeys } from './jwt-keys.js';

/** What a verified access token says. */
export interface AccessClaims {
  readonly userId: string;
  readonly username: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  readonly tokenId: string;
  /** The login (refresh-token family) the token was issued to; absent on tokens issued before it existed. */
  readonly sessionId?: string;
}

export interface IssuedAccessToken {
  readonly token: string;
  /** Lifetime in seconds, as OAuth's `expires_in`. */
  readonly expiresIn: number;
}

// Longer than any token this service issues; stops a megabyte "token" before any parsing.
const MAX_TOKEN_LENGTH = 8_192;

/**
 * Issues and verifies access tokens (JWT). The algorithm is pinned on both sides: signing
 * always uses the configured one, and verification refuses any token whose header names
 * another, before the signature is even looked at. That closes `alg: none` and the
 * HS256-signed-with-the-RSA-public-key confusion. iss, aud, exp and nbf are always
 * checked, with the configured clock tolerance.
 */
@Injectable()
export class AccessTokens {
  private readonly signOptions: JwtSignOptions;
  private readonly verifyOptions: JwtVerifyOptions;
  private readonly expiresIn: number;

  constructor(
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(JWT_KEYS) private readonly keys: JwtKeys,
  ) {
    const { algorithm, issuer, audience, accessTtlSeconds, clockToleranceSeconds } = config.auth.jwt;
    // @nestjs/jwt reads an HMAC key from `secret` and a PEM key from privateKey/publicKey.
    const signingKey = algorithm === 'HS256' ? { secret: keys.signingKey } : { privateKey: keys.signingKey };
    const verificationKey =
      algorithm === 'HS256' ? { secret: keys.verificationKey } : { publicKey: keys.verificationKey };
    this.signOptions = { ...signingKey, algorithm, issuer, audience, expiresIn: accessTtlSeconds, notBefore: 0 };
    this.verifyOptions = {
      ...verificationKey,
      algorithms: [algorithm],
      issuer,
      audience,
      clockTolerance: clockToleranceSeconds,
    };
    this.expiresIn = accessTtlSeconds;
  }

  async issue(
    user: { readonly id: string; readonly username: string },
    sessionId?: string,
  ): Promise<IssuedAccessToken> {
    if (this.keys.signingKey === undefined) {
      throw new AppError('CONFIG_INVALID', `JWT_PRIVATE_KEY is required to issue ${this.keys.algorithm} tokens`);
    }
    const token = await this.jwt.signAsync(
      { username: user.username, ...(sessionId === undefined ? {} : { sid: sessionId }) },
      { ...this.signOptions, subject: user.id, jwtid: randomUUID() },
    );
    return { token, expiresIn: this.expiresIn };
  }

  /** Rejects with AUTH_INVALID or AUTH_EXPIRED and a message that says what is wrong. */
  async verify(token: string): Promise<AccessClaims> {
    this.checkHeader(token);
    let payload: Record<string, unknown>;
    try {
      payload = await this.jwt.verifyAsync<Record<string, unknown>>(token, this.verifyOptions);
    } catch (error) {
      throw verificationError(error);
    }
    const { sub, username, exp, jti, sid } = payload;
    if (
      typeof sub !== 'string' ||
      sub === '' ||
      typeof username !== 'string' ||
      typeof exp !== 'number' ||
      typeof jti !== 'string'
    ) {
      throw new AppError('AUTH_INVALID', 'token lacks a required claim (sub, username, exp, jti)');
    }
    return {
      userId: sub,
      username,
      expiresAt: exp * 1000,
      tokenId: jti,
      ...(typeof sid === 'string' ? { sessionId: sid } : {}),
    };
  }

  private checkHeader(token: string): void {
    if (token.length > MAX_TOKEN_LENGTH) throw new AppError('AUTH_INVALID', 'token is too long');
    const parts = token.split('.');
    if (parts.length !== 3)
      throw new AppError('AUTH_INVALID', 'token is malformed (expected three dot-separated parts)');
    let header: { alg?: unknown };
    try {
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: unknown };
    } catch {
      throw new AppError('AUTH_INVALID', 'token is malformed (unreadable header)');
    }
    if (header?.alg !== this.keys.algorithm) {
      throw new AppError(
        'AUTH_INVALID',
        `token algorithm '${String(header?.alg)}' is not accepted; this server requires ${this.keys.algorithm}`,
      );
    }
  }
}

/** jsonwebtoken's errors, in words a client developer can act on. */
function verificationError(error: unknown): AppError {
  const { name, message } = error as { name?: string; message?: string };
  if (name === 'TokenExpiredError') return new AppError('AUTH_EXPIRED', 'token has expired');
  if (name === 'NotBeforeError') return new AppError('AUTH_INVALID', 'token is not valid yet (nbf is in the future)');
  const text = message ?? '';
  if (text.startsWith('jwt audience invalid')) return new AppError('AUTH_INVALID', 'token audience is wrong');
  if (text.startsWith('jwt issuer invalid')) return new AppError('AUTH_INVALID', 'token issuer is wrong');
  if (text === 'invalid signature') return new AppError('AUTH_INVALID', 'token signature is invalid');
  if (text === 'jwt malformed' || text === 'invalid token') return new AppError('AUTH_INVALID', 'token is malformed');
  if (text === 'jwt signature is required' || text === 'invalid algorithm') {
    return new AppError('AUTH_INVALID', 'token algorithm is not accepted');
  }
  return new AppError('AUTH_INVALID', 'token is invalid');
}
