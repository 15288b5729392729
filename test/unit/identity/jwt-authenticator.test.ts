import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import type { ConnectCredentials } from '../../../app/src/realtime/auth/authenticator.port.js';
import type { UserRecord } from '../../../app/src/identity/user.entity.js';
import { createIdentityFixture, TEST_SECRET, type IdentityFixture } from '../../support/identity-fixture.js';
import { rejection } from '../../support/app-error-rejection.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Builds a JWT by hand, so a test can make tokens no well-behaved library would sign. */
function handMade(header: object, payload: object, sign: (input: string) => string): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign(input)}`;
}
const hmac = (key: string | Buffer) => (input: string) => createHmac('sha256', key).update(input).digest('base64url');

describe('JwtAuthenticator with HS256', () => {
  let f: IdentityFixture;
  let alice: UserRecord;
  let valid: string;
  const issuer = 'stomp-chat';
  const audience = 'stomp-chat-clients';

  // Claims of a token that would pass, for tests that then spoil one thing.
  const claims = (overrides: Record<string, unknown> = {}) => ({
    sub: alice.id,
    username: alice.username,
    iss: issuer,
    aud: audience,
    iat: nowSeconds(),
    nbf: nowSeconds(),
    exp: nowSeconds() + 600,
    jti: randomUUID(),
    ...overrides,
  });
  const signed = (payload: object, secret: string = TEST_SECRET) =>
    handMade({ alg: 'HS256', typ: 'JWT' }, payload, hmac(secret));

  beforeAll(async () => {
    f = await createIdentityFixture();
    alice = await f.accounts.register({ username: 'alice', password: 'alice-password' });
    valid = (await f.accessTokens.issue(alice)).token;
  });
  afterAll(() => f.close());

  it('accepts a token it issued and returns the principal with the expiry', async () => {
    const principal = await f.authenticator.authenticate({ authorization: `Bearer ${valid}` });
    expect(principal.userId).toBe(alice.id);
    expect(principal.username).toBe('alice');
    const expected = (nowSeconds() + f.config.auth.jwt.accessTtlSeconds) * 1000;
    expect(Math.abs(principal.expiresAt! - expected)).toBeLessThanOrEqual(2000);
  });

  it('puts sub, username, iss, aud, exp, nbf and jti in the token and signs with HS256', () => {
    const decoded = f.jwt.decode(valid, { complete: true }) as {
      header: { alg: string };
      payload: Record<string, unknown>;
    };
    expect(decoded.header.alg).toBe('HS256');
    expect(decoded.payload).toMatchObject({ sub: alice.id, username: 'alice', iss: issuer, aud: audience });
    for (const claim of ['exp', 'nbf', 'iat', 'jti']) expect(decoded.payload[claim]).toBeDefined();
  });

  describe('finds the token where clients put it, in order', () => {
    it.each<[string, (token: string) => ConnectCredentials]>([
      ['CONNECT Authorization', (t) => ({ authorization: `Bearer ${t}` })],
      ['CONNECT passcode', (t) => ({ login: 'alice', passcode: t })],
      ['upgrade Authorization', (t) => ({ upgradeAuthorization: `bearer ${t}` })],
      ['CONNECT Authorization before a bad passcode', (t) => ({ authorization: `Bearer ${t}`, passcode: 'junk' })],
      ['passcode before a bad upgrade header', (t) => ({ passcode: t, upgradeAuthorization: 'Bearer junk' })],
    ])('%s', async (_where, credentials) => {
      expect((await f.authenticator.authenticate(credentials(valid))).userId).toBe(alice.id);
    });
  });

  // The security table: every way a token can be wrong, with the code and message a client sees.
  const cases: Array<[string, () => ConnectCredentials, string, RegExp]> = [
    ['no token at all', () => ({}), 'AUTH_REQUIRED', /access token is required/],
    ['only a login header', () => ({ login: 'alice' }), 'AUTH_REQUIRED', /access token is required/],
    [
      'a non-Bearer Authorization',
      () => ({ authorization: `Basic ${valid}` }),
      'AUTH_INVALID',
      /must be 'Bearer <token>'/,
    ],
    ['a malformed token', () => ({ authorization: 'Bearer not-a-jwt' }), 'AUTH_INVALID', /malformed/],
    ['three parts of garbage', () => ({ authorization: 'Bearer a.b.c' }), 'AUTH_INVALID', /malformed/],
    [
      'an expired token',
      () => ({ passcode: signed(claims({ iat: nowSeconds() - 900, exp: nowSeconds() - 60 })) }),
      'AUTH_EXPIRED',
      /expired/,
    ],
    [
      'a token not valid yet',
      () => ({ passcode: signed(claims({ nbf: nowSeconds() + 600 })) }),
      'AUTH_INVALID',
      /not valid yet/,
    ],
    [
      'a wrong signature',
      () => ({ passcode: signed(claims(), 'another-secret-another-secret-another-secret') }),
      'AUTH_INVALID',
      /signature is invalid/,
    ],
    [
      'a tampered payload',
      () => ({ passcode: `${valid.split('.')[0]}.${b64(claims({ username: 'mallory' }))}.${valid.split('.')[2]}` }),
      'AUTH_INVALID',
      /signature is invalid/,
    ],
    [
      'a wrong issuer',
      () => ({ passcode: signed(claims({ iss: 'someone-else' })) }),
      'AUTH_INVALID',
      /issuer is wrong/,
    ],
    [
      'a wrong audience',
      () => ({ passcode: signed(claims({ aud: 'another-app' })) }),
      'AUTH_INVALID',
      /audience is wrong/,
    ],
    [
      'alg none',
      () => ({ passcode: handMade({ alg: 'none', typ: 'JWT' }, claims(), () => '') }),
      'AUTH_INVALID',
      /algorithm 'none' is not accepted/,
    ],
    [
      'alg none, spelled NONE',
      () => ({ passcode: handMade({ alg: 'NONE' }, claims(), () => '') }),
      'AUTH_INVALID',
      /algorithm 'NONE' is not accepted/,
    ],
    [
      'HS512 with the right secret',
      () => ({
        passcode: handMade({ alg: 'HS512' }, claims(), (i) =>
          createHmac('sha512', TEST_SECRET).update(i).digest('base64url'),
        ),
      }),
      'AUTH_INVALID',
      /algorithm 'HS512' is not accepted/,
    ],
    [
      'a token without username',
      () => ({ passcode: signed(claims({ username: undefined })) }),
      'AUTH_INVALID',
      /lacks a required claim/,
    ],
    [
      'a token without exp',
      () => ({ passcode: signed(claims({ exp: undefined })) }),
      'AUTH_INVALID',
      /lacks a required claim/,
    ],
  ];

  it.each(cases)('rejects %s', async (_name, credentials, code, message) => {
    const error = await rejection(f.authenticator.authenticate(credentials()));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('tolerates clock skew up to the configured tolerance', async () => {
    const token = signed(claims({ iat: nowSeconds() - 900, exp: nowSeconds() - 2 }));
    expect((await f.authenticator.authenticate({ passcode: token })).userId).toBe(alice.id);
  });

  it('rejects the token of a user who has since been deleted', async () => {
    const bob = await f.accounts.register({ username: 'bob', password: 'bob-password' });
    const token = (await f.accessTokens.issue(bob)).token;
    await f.accounts.delete(bob.id);
    const error = await rejection(f.authenticator.authenticate({ authorization: `Bearer ${token}` }));
    expect(error.code).toBe('AUTH_INVALID');
    expect(error.message).toMatch(/user no longer exists/);
  });

  describe('renew', () => {
    it('accepts a fresh token of the same user and carries its expiry', async () => {
      const current = await f.authenticator.authenticate({ passcode: valid });
      // One reading of the clock: read twice, the two could fall on either side of a second.
      const exp = nowSeconds() + 3600;
      const fresh = signed(claims({ exp }));
      const renewed = await f.authenticator.renew(current, fresh);
      expect(renewed).toEqual({ userId: alice.id, username: 'alice', expiresAt: exp * 1000 });
    });

    it("refuses another user's token", async () => {
      const carol = await f.accounts.register({ username: 'carol', password: 'carol-password' });
      const current = await f.authenticator.authenticate({ passcode: valid });
      const error = await rejection(f.authenticator.renew(current, (await f.accessTokens.issue(carol)).token));
      expect(error.code).toBe('AUTH_INVALID');
      expect(error.message).toMatch(/different user/);
    });

    it('refuses an expired token', async () => {
      const current = await f.authenticator.authenticate({ passcode: valid });
      const error = await rejection(f.authenticator.renew(current, signed(claims({ exp: nowSeconds() - 60 }))));
      expect(error.code).toBe('AUTH_EXPIRED');
    });
  });
});

describe('JwtAuthenticator with RS256', () => {
  let f: IdentityFixture;
  let alice: UserRecord;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privatePem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  beforeAll(async () => {
    f = await createIdentityFixture({ JWT_ALGORITHM: 'RS256', JWT_PUBLIC_KEY: publicPem, JWT_PRIVATE_KEY: privatePem });
    alice = await f.accounts.register({ username: 'alice', password: 'alice-password' });
  });
  afterAll(() => f.close());

  const claims = () => ({
    sub: alice.id,
    username: 'alice',
    iss: 'stomp-chat',
    aud: 'stomp-chat-clients',
    nbf: nowSeconds(),
    exp: nowSeconds() + 600,
    jti: randomUUID(),
  });

  it('issues RS256 tokens and accepts them', async () => {
    const { token } = await f.accessTokens.issue(alice);
    expect((f.jwt.decode(token, { complete: true }) as { header: { alg: string } }).header.alg).toBe('RS256');
    expect((await f.authenticator.authenticate({ authorization: `Bearer ${token}` })).userId).toBe(alice.id);
  });

  it('rejects an HS256 token whose HMAC key is the public key (algorithm confusion)', async () => {
    const forged = handMade({ alg: 'HS256', typ: 'JWT' }, claims(), hmac(publicPem));
    const error = await rejection(f.authenticator.authenticate({ passcode: forged }));
    expect(error.code).toBe('AUTH_INVALID');
    expect(error.message).toMatch(/algorithm 'HS256' is not accepted; this server requires RS256/);
  });

  it('rejects the same forgery relabelled RS256 on its signature', async () => {
    const forged = handMade({ alg: 'RS256', typ: 'JWT' }, claims(), hmac(publicPem));
    const error = await rejection(f.authenticator.authenticate({ passcode: forged }));
    expect(error.code).toBe('AUTH_INVALID');
    expect(error.message).toMatch(/signature is invalid/);
  });

  it('rejects a token signed by another RSA key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const token = new JwtService().sign(claims(), {
      algorithm: 'RS256',
      privateKey: other.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const error = await rejection(f.authenticator.authenticate({ passcode: token }));
    expect(error.message).toMatch(/signature is invalid/);
  });
});

describe('JwtAuthenticator with ES256', () => {
  it('issues and accepts ES256 tokens from a P-256 key pair', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const f = await createIdentityFixture({
      JWT_ALGORITHM: 'ES256',
      JWT_PUBLIC_KEY: ec.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      // Keys in environment variables often come with escaped newlines.
      JWT_PRIVATE_KEY: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n'),
    });
    try {
      const user = await f.accounts.register({ username: 'erin', password: 'erin-password' });
      const { token } = await f.accessTokens.issue(user);
      expect((f.jwt.decode(token, { complete: true }) as { header: { alg: string } }).header.alg).toBe('ES256');
      expect((await f.authenticator.authenticate({ passcode: token })).username).toBe('erin');
    } finally {
      await f.close();
    }
  });
});
