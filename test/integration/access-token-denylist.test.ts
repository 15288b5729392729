import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deleteRedisKeys, randomKeyPrefix } from '../support/redis.js';
import { callApi } from '../support/rest-client.js';
import { describeWithRedisAndMysql, sharedServicesEnv } from '../support/redis-and-mysql.js';
import type { ScratchDatabase } from '../support/scratch-mysql.js';
import { connectStomp, StompErrorFrame } from '../support/stomp-client.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

/**
 * After logout, the login's access token stops working at once, on every instance sharing Redis,
 * over REST and STOMP: 401 / ERROR with AUTH_REVOKED, though the token has not expired. Also the
 * login throttle shares its count between the instances (TRUST_PROXY=1: the client address is
 * X-Forwarded-For's, as behind the ALB).
 */
const SUITE = 'Access-token deny-list and shared login throttling across instances';
await describeWithRedisAndMysql(SUITE, describeDenyList);

function describeDenyList(database: ScratchDatabase): void {
  describe(SUITE, () => {
    const keyPrefix = randomKeyPrefix();
    const env = {
      ...sharedServicesEnv(keyPrefix, database, 'deny-list-secret-deny-list-secret-deny-list-01'),
      TRUST_PROXY: '1',
      LOGIN_ADDRESS_FREE_FAILURES: '2',
      LOGIN_LOCKOUT_BASE_MS: '60000',
    };
    let a: RunningApp;
    let b: RunningApp;

    beforeAll(async () => {
      a = await startTestApp(env);
      b = await startTestApp(env);
    });

    afterAll(async () => {
      await Promise.all([a?.close(), b?.close()]);
      await deleteRedisKeys(keyPrefix);
      await database.drop();
    });

    const password = 'correct horse battery';
    const login = (app: RunningApp, username: string, secret = password, forwardedFor = '198.51.100.7') =>
      fetch(`${app.httpUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
        body: JSON.stringify({ username, password: secret }),
      });

    it('refuses a logged-out access token on both instances with AUTH_REVOKED (REST 401, STOMP ERROR)', async () => {
      expect((await callApi(a.httpUrl, 'POST', '/auth/register', { username: 'deny_me', password })).status).toBe(201);
      const pair = (await (await login(a, 'deny_me')).json()) as { accessToken: string; refreshToken: string };
      expect((await callApi(b.httpUrl, 'GET', '/me', undefined, pair.accessToken)).status).toBe(200);

      const other = (await (await login(a, 'deny_me')).json()) as { accessToken: string };
      expect((await callApi(a.httpUrl, 'POST', '/auth/logout', { refreshToken: pair.refreshToken })).status).toBe(204);

      for (const app of [a, b]) {
        const reply = await callApi(app.httpUrl, 'GET', '/me', undefined, pair.accessToken);
        expect(reply.status).toBe(401);
        expect(reply.body.error.code).toBe('AUTH_REVOKED');
      }
      const refused = await connectStomp(b.wsUrl, { Authorization: `Bearer ${pair.accessToken}` }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(StompErrorFrame);
      expect((refused as StompErrorFrame).frame.headers['code']).toBe('AUTH_REVOKED');

      // Another login of the same user is not affected.
      expect((await callApi(b.httpUrl, 'GET', '/me', undefined, other.accessToken)).status).toBe(200);
    });

    it('counts failed logins from one client address across both instances', async () => {
      expect((await callApi(a.httpUrl, 'POST', '/auth/register', { username: 'flooded', password })).status).toBe(201);
      expect((await login(a, 'flooded', 'wrong password 1', '203.0.113.9')).status).toBe(401);
      expect((await login(b, 'flooded', 'wrong password 2', '203.0.113.9')).status).toBe(401);
      expect((await login(a, 'flooded', 'wrong password 3', '203.0.113.9')).status).toBe(401);
      const locked = await login(b, 'flooded', password, '203.0.113.9');
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another client behind the same proxy is its own address.
      expect((await login(b, 'flooded', password, '203.0.113.10')).status).toBe(200);
    });
  });
}
