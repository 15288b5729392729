import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hashOpaqueToken } from '../../../app/src/identity/opaque-token.js';
import type { UserRecord } from '../../../app/src/identity/user.entity.js';
import { createIdentityFixture, type IdentityFixture } from '../../support/identity-fixture.js';
import { rejection } from '../../support/app-error-rejection.js';

describe('AuthService: login, refresh rotation, re-use detection, logout', () => {
  let f: IdentityFixture;
  let alice: UserRecord;
  const revoked: Array<[string, string]> = [];

  beforeAll(async () => {
    f = await createIdentityFixture();
    f.events.onUserSessionsRevoked((userId, reason) => revoked.push([userId, reason]));
    alice = await f.accounts.register({ username: 'alice', password: 'alice-password', displayName: 'Alice' });
  });
  afterAll(() => f.close());

  it('logs in with the right password and returns a bearer pair', async () => {
    const pair = await f.auth.login('ALICE', 'alice-password');
    expect(pair).toMatchObject({ tokenType: 'Bearer', expiresIn: f.config.auth.jwt.accessTtlSeconds });
    expect((await f.authenticator.authenticate({ passcode: pair.accessToken })).userId).toBe(alice.id);
    // Only the hash is stored.
    const stored = await f.refreshTokens.findByHash(hashOpaqueToken(pair.refreshToken));
    expect(stored?.userId).toBe(alice.id);
    expect(stored?.tokenHash).not.toContain(pair.refreshToken);
  });

  it.each([
    ['a wrong password', 'alice', 'wrong-password'],
    ['an unknown user', 'nobody', 'alice-password'],
  ])('refuses %s with the same answer', async (_name, username, password) => {
    const error = await rejection(f.auth.login(username, password));
    expect(error.code).toBe('AUTH_INVALID');
    expect(error.message).toBe('username or password is wrong');
  });

  it('rotates: a refresh returns a new pair and spends the old refresh token', async () => {
    const first = await f.auth.login('alice', 'alice-password');
    const second = await f.auth.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    const third = await f.auth.refresh(second.refreshToken);
    expect((await f.authenticator.authenticate({ passcode: third.accessToken })).userId).toBe(alice.id);
  });

  it('re-use of a spent refresh token revokes the whole family and ends live sessions', async () => {
    revoked.length = 0;
    const login = await f.auth.login('alice', 'alice-password');
    const rotated = await f.auth.refresh(login.refreshToken);
    const otherLogin = await f.auth.login('alice', 'alice-password');

    const reuse = await rejection(f.auth.refresh(login.refreshToken));
    expect(reuse.code).toBe('AUTH_INVALID');
    expect(reuse.message).toMatch(/already used; every session of that login has been signed out/);
    expect(revoked).toEqual([[alice.id, 'refresh token reuse']]);

    // The legitimate holder's current token died with the family...
    const after = await rejection(f.auth.refresh(rotated.refreshToken));
    expect(after.code).toBe('AUTH_INVALID');
    expect(after.message).toMatch(/revoked/);
    // ...but another login's family is untouched.
    await expect(f.auth.refresh(otherLogin.refreshToken)).resolves.toMatchObject({ tokenType: 'Bearer' });
  });

  it('treats two concurrent refreshes with one token as re-use: exactly one wins', async () => {
    const login = await f.auth.login('alice', 'alice-password');
    const results = await Promise.allSettled([f.auth.refresh(login.refreshToken), f.auth.refresh(login.refreshToken)]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const winner = results.find((result) => result.status === 'fulfilled') as PromiseFulfilledResult<{
      refreshToken: string;
    }>;
    // The family is revoked, so even the winner's new token is dead.
    expect((await rejection(f.auth.refresh(winner.value.refreshToken))).code).toBe('AUTH_INVALID');
  });

  it('logout revokes the family, fires the event once, and is harmless to repeat', async () => {
    revoked.length = 0;
    const login = await f.auth.login('alice', 'alice-password');
    const rotated = await f.auth.refresh(login.refreshToken);
    await f.auth.logout(rotated.refreshToken);
    expect(revoked).toEqual([[alice.id, 'logout']]);

    const error = await rejection(f.auth.refresh(rotated.refreshToken));
    expect(error.code).toBe('AUTH_INVALID');
    expect(error.message).toMatch(/revoked; log in again/);
    await f.auth.logout(rotated.refreshToken);
    expect(revoked).toHaveLength(1);
  });

  it('refuses an unknown refresh token and an expired one', async () => {
    expect((await rejection(f.auth.refresh('not-a-token'))).message).toMatch(/not recognised/);
    expect((await rejection(f.auth.logout('not-a-token'))).code).toBe('AUTH_INVALID');

    const token = 'expired-refresh-token';
    await f.refreshTokens.insert({
      id: randomUUID(),
      userId: alice.id,
      familyId: randomUUID(),
      tokenHash: hashOpaqueToken(token),
      createdAt: new Date(Date.now() - 7_200_000),
      expiresAt: new Date(Date.now() - 3_600_000),
      revokedAt: null,
      replacedBy: null,
    });
    const error = await rejection(f.auth.refresh(token));
    expect(error.code).toBe('AUTH_EXPIRED');
  });

  it('deleting an account ends its sessions and kills its refresh tokens', async () => {
    revoked.length = 0;
    const dave = await f.accounts.register({ username: 'dave', password: 'dave-password' });
    const pair = await f.auth.login('dave', 'dave-password');
    await f.accounts.delete(dave.id);
    expect(revoked).toEqual([[dave.id, 'account deleted']]);
    expect((await rejection(f.auth.refresh(pair.refreshToken))).code).toBe('AUTH_INVALID');
  });

  it('keeps a listener failure from failing the logout', async () => {
    const unsubscribe = f.events.onUserSessionsRevoked(() => {
      throw new Error('listener broke');
    });
    try {
      const login = await f.auth.login('alice', 'alice-password');
      await expect(f.auth.logout(login.refreshToken)).resolves.toBeUndefined();
    } finally {
      unsubscribe();
    }
  });
});

describe('AccountsService', () => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await createIdentityFixture();
  });
  afterAll(() => f.close());

  it('refuses a taken username in any letter case', async () => {
    await f.accounts.register({ username: 'Frank', password: 'frank-password' });
    const error = await rejection(f.accounts.register({ username: 'frank', password: 'other-password' }));
    expect(error.code).toBe('USER_EXISTS');
  });

  it('defaults the display name to the username', async () => {
    expect((await f.accounts.register({ username: 'grace', password: 'grace-password' })).displayName).toBe('grace');
  });

  it('resolves a user by exactly one of id or username', async () => {
    const heidi = await f.accounts.register({ username: 'heidi', password: 'heidi-password' });
    expect((await f.accounts.resolve({ username: 'HEIDI' })).id).toBe(heidi.id);
    expect((await f.accounts.resolve({ userId: heidi.id })).username).toBe('heidi');
    expect((await rejection(f.accounts.resolve({}))).code).toBe('VALIDATION_FAILED');
    expect((await rejection(f.accounts.resolve({ userId: heidi.id, username: 'heidi' }))).code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await rejection(f.accounts.resolve({ username: 'nobody' }))).code).toBe('USER_NOT_FOUND');
  });
});
