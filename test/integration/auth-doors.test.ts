import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callApi, signUp } from '../support/rest-client.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

/**
 * The REST doors a hostile client knocks on: wrong passwords get locked out with a growing
 * Retry-After (per account and per address), and a deeply nested body is a 400 with a stable
 * code, not a 500.
 */
describe('REST doors', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startTestApp({ LOGIN_ACCOUNT_FREE_FAILURES: '3', LOGIN_LOCKOUT_BASE_MS: '2000' });
  });

  afterAll(async () => {
    await app?.close();
  });

  const login = (username: string, password: string) =>
    fetch(`${app.httpUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });

  it('locks an account out after repeated wrong passwords, with a growing Retry-After', async () => {
    await signUp(app.httpUrl, 'door_victim');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await login('door_victim', 'wrong password!')).status);
    expect(statuses).toEqual([401, 401, 401]);
    // The fourth wrong one is still checked (and counted), then the account is locked.
    expect((await login('door_victim', 'wrong password!')).status).toBe(401);
    const locked = await login('DOOR_victim', 'correct horse battery');
    expect(locked.status).toBe(429);
    const body = (await locked.json()) as { error: { code: string } };
    expect(body.error.code).toBe('LIMIT_LOGIN_ATTEMPTS');
    const first = Number(locked.headers.get('retry-after'));
    expect(first).toBeGreaterThanOrEqual(1);

    await new Promise((resolve) => setTimeout(resolve, first * 1000 + 100));
    expect((await login('door_victim', 'wrong password!')).status).toBe(401);
    const again = await login('door_victim', 'wrong password!');
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(first);
  });

  it('answers a deeply nested JSON body with 400 JSON_TOO_DEEP', async () => {
    const deep = '['.repeat(7_000) + ']'.repeat(7_000);
    const response = await fetch(`${app.httpUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"username":"x","password":${deep}}`,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('JSON_TOO_DEEP');
  });

  it('answers malformed JSON with 400 BAD_REQUEST', async () => {
    const reply = await fetch(`${app.httpUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":',
    });
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    expect((await callApi(app.httpUrl, 'GET', '/healthz')).status).toBe(200);
  });
});
