import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IdentityEvents } from '../../app/src/identity/identity-events.js';
import { RoomEvents } from '../../app/src/rooms/room-events.js';
import { startRestApp, type RestApp } from '../support/rest-app.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON replies of many shapes; each test asserts what it reads
interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

describe('REST API: identity and rooms', () => {
  let rest: RestApp;
  const removed: Array<[string, string, string]> = [];
  const revoked: Array<[string, string]> = [];

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Reply
  async function call<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; raw?: string } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${rest.baseUrl}${path}`, {
      method,
      headers,
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers };
  }

  const users: Record<string, { id: string; token: string; refreshToken: string }> = {};
  async function signUp(username: string): Promise<void> {
    const registered = await call('POST', '/auth/register', {
      body: { username, password: `${username}-password`, displayName: username.toUpperCase() },
    });
    expect(registered.status).toBe(201);
    const login = await call('POST', '/auth/login', { body: { username, password: `${username}-password` } });
    expect(login.status).toBe(200);
    users[username] = { id: registered.body.id, token: login.body.accessToken, refreshToken: login.body.refreshToken };
  }

  beforeAll(async () => {
    rest = await startRestApp();
    rest.app.get(RoomEvents).onMemberRemoved((roomId, userId, reason) => removed.push([roomId, userId, reason]));
    rest.app.get(IdentityEvents).onUserSessionsRevoked((userId, reason) => revoked.push([userId, reason]));
  });
  afterAll(() => rest?.close());

  describe('accounts and tokens', () => {
    it('registers a user (201) without exposing the password hash', async () => {
      const reply = await call('POST', '/auth/register', {
        body: { username: 'alice', password: 'alice-password', displayName: 'Alice' },
      });
      expect(reply.status).toBe(201);
      expect(reply.body).toEqual({
        id: expect.any(String),
        username: 'alice',
        displayName: 'Alice',
        createdAt: expect.any(String),
      });
    });

    it('refuses a taken username with 409 USER_EXISTS', async () => {
      const reply = await call('POST', '/auth/register', {
        body: { username: 'ALICE', password: 'whatever-password' },
      });
      expect(reply.status).toBe(409);
      expect(reply.body.error).toMatchObject({ code: 'USER_EXISTS', message: expect.stringMatching(/already taken/) });
    });

    it('validates the body: 400 VALIDATION_FAILED with one detail per bad field, never echoing values', async () => {
      const reply = await call('POST', '/auth/register', {
        body: { username: 'a!', password: 'short', isAdmin: true },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('VALIDATION_FAILED');
      expect(reply.body.error.message).toEqual(expect.any(String));
      const fields = (reply.body.error.details as Array<{ field: string }>).map((detail) => detail.field).sort();
      expect(fields).toEqual(['isAdmin', 'password', 'username']);
      expect(JSON.stringify(reply.body)).not.toContain('short');
    });

    it('logs in (200) with a Bearer pair; a wrong password is 401 AUTH_INVALID with WWW-Authenticate', async () => {
      const ok = await call('POST', '/auth/login', { body: { username: 'alice', password: 'alice-password' } });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        tokenType: 'Bearer',
        expiresIn: 900,
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
      });
      users.alice = { id: '', token: ok.body.accessToken, refreshToken: ok.body.refreshToken };

      const wrong = await call('POST', '/auth/login', { body: { username: 'alice', password: 'wrong-password' } });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toEqual({ code: 'AUTH_INVALID', message: 'username or password is wrong' });
      expect(wrong.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    });

    it('GET /me needs a valid bearer token', async () => {
      const anonymous = await call('GET', '/me');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('AUTH_REQUIRED');
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');

      const garbage = await call('GET', '/me', { token: 'not.a.token' });
      expect(garbage.status).toBe(401);
      expect(garbage.body.error.code).toBe('AUTH_INVALID');

      const me = await call('GET', '/me', { token: users.alice!.token });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ username: 'alice', displayName: 'Alice' });
      users.alice!.id = me.body.id;
    });

    it('refresh rotates; re-using the old token is refused and revokes the login; logout is 204', async () => {
      const login = await call('POST', '/auth/login', { body: { username: 'alice', password: 'alice-password' } });
      const refreshed = await call('POST', '/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);

      const reuse = await call('POST', '/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
      expect(reuse.status).toBe(401);
      expect(reuse.body.error.message).toMatch(/already used/);
      expect(revoked).toContainEqual([users.alice!.id, 'refresh token reuse']);

      const logout = await call('POST', '/auth/logout', { body: { refreshToken: users.alice!.refreshToken } });
      expect(logout.status).toBe(204);
      expect(revoked).toContainEqual([users.alice!.id, 'logout']);
      expect((await call('POST', '/auth/refresh', { body: { refreshToken: users.alice!.refreshToken } })).status).toBe(
        401,
      );
    });
  });

  describe('rooms', () => {
    let secret: string;

    beforeAll(async () => {
      await signUp('bob');
      await signUp('carol');
    });

    it('creates a private room owned by its creator (201)', async () => {
      const reply = await call('POST', '/rooms', {
        token: users.alice!.token,
        body: { kind: 'private', name: '  secret  ', topic: 'plans' },
      });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({
        kind: 'private',
        name: 'secret',
        topic: 'plans',
        role: 'owner',
        createdBy: users.alice!.id,
      });
      secret = reply.body.id;
    });

    it('rejects a bad room body and a bad kind with VALIDATION_FAILED', async () => {
      const reply = await call('POST', '/rooms', { token: users.alice!.token, body: { kind: 'direct', name: '' } });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('VALIDATION_FAILED');
      expect((reply.body.error.details as Array<{ field: string }>).map((d) => d.field).sort()).toEqual([
        'kind',
        'name',
      ]);
    });

    it('lets the owner add a member by username (201)', async () => {
      const reply = await call('POST', `/rooms/${secret}/members`, {
        token: users.alice!.token,
        body: { username: 'bob' },
      });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({
        userId: users.bob!.id,
        username: 'bob',
        displayName: 'BOB',
        role: 'member',
        lastReadSeq: 0,
      });
      const again = await call('POST', `/rooms/${secret}/members`, {
        token: users.alice!.token,
        body: { userId: users.bob!.id },
      });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('ROOM_MEMBER_EXISTS');
    });

    it("lists the caller's rooms with role and read marker", async () => {
      const reply = await call('GET', '/rooms', { token: users.bob!.token });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual([
        expect.objectContaining({ id: secret, name: 'secret', role: 'member', lastReadSeq: 0 }),
      ]);
    });

    it('hides a private room from non-members: 404 ROOM_NOT_FOUND with a JSON body', async () => {
      for (const path of [`/rooms/${secret}`, `/rooms/${secret}/members`]) {
        const reply = await call('GET', path, { token: users.carol!.token });
        expect(reply.status).toBe(404);
        expect(reply.body).toEqual({ error: { code: 'ROOM_NOT_FOUND', message: 'room not found' } });
      }
      expect((await call('POST', `/rooms/${secret}/join`, { token: users.carol!.token })).status).toBe(404);
    });

    it('lets members read the room and its members', async () => {
      const room = await call('GET', `/rooms/${secret}`, { token: users.bob!.token });
      expect(room.status).toBe(200);
      expect(room.body.role).toBe('member');
      const members = await call('GET', `/rooms/${secret}/members`, { token: users.bob!.token });
      expect(members.body.map((m: { username: string; role: string }) => [m.username, m.role])).toEqual([
        ['alice', 'owner'],
        ['bob', 'member'],
      ]);
    });

    it('keeps management to owner and admins', async () => {
      const add = await call('POST', `/rooms/${secret}/members`, {
        token: users.bob!.token,
        body: { username: 'carol' },
      });
      expect(add.status).toBe(403);
      expect(add.body.error).toEqual({
        code: 'AUTH_FORBIDDEN',
        message: "only the room's owner or admins may add members",
      });
      expect(
        (await call('PATCH', `/rooms/${secret}`, { token: users.bob!.token, body: { name: 'mine now' } })).status,
      ).toBe(403);
      expect((await call('DELETE', `/rooms/${secret}`, { token: users.bob!.token })).status).toBe(403);

      const patched = await call('PATCH', `/rooms/${secret}`, {
        token: users.alice!.token,
        body: { name: 'renamed', topic: null },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ name: 'renamed', topic: null, role: 'owner' });
      const empty = await call('PATCH', `/rooms/${secret}`, { token: users.alice!.token, body: {} });
      expect(empty.status).toBe(400);
      expect(empty.body.error.code).toBe('VALIDATION_FAILED');
    });

    it('protects the owner: not removable, cannot leave', async () => {
      await call('POST', `/rooms/${secret}/members`, {
        token: users.alice!.token,
        body: { username: 'carol', role: 'admin' },
      });
      const remove = await call('DELETE', `/rooms/${secret}/members/${users.alice!.id}`, { token: users.carol!.token });
      expect(remove.status).toBe(409);
      expect(remove.body.error.code).toBe('ROOM_OWNER_IMMUTABLE');
      const leave = await call('POST', `/rooms/${secret}/leave`, { token: users.alice!.token });
      expect(leave.status).toBe(409);
      expect(leave.body.error.code).toBe('ROOM_OWNER_IMMUTABLE');
    });

    it('removes a member (204), who then loses access; the removal is announced', async () => {
      const reply = await call('DELETE', `/rooms/${secret}/members/${users.bob!.id}`, { token: users.carol!.token });
      expect(reply.status).toBe(204);
      expect(removed).toContainEqual([secret, users.bob!.id, 'removed']);
      expect((await call('GET', `/rooms/${secret}`, { token: users.bob!.token })).status).toBe(404);
    });

    it('opens one direct room per pair: 201 the first time, 200 afterwards from either side', async () => {
      const first = await call('POST', '/rooms/direct', { token: users.alice!.token, body: { username: 'bob' } });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ kind: 'direct', name: null, role: 'member' });
      const reverse = await call('POST', '/rooms/direct', {
        token: users.bob!.token,
        body: { userId: users.alice!.id },
      });
      expect(reverse.status).toBe(200);
      expect(reverse.body.id).toBe(first.body.id);
      const repeat = await call('POST', '/rooms/direct', { token: users.alice!.token, body: { username: 'bob' } });
      expect(repeat.status).toBe(200);
      expect(repeat.body.id).toBe(first.body.id);

      const members = await call('GET', `/rooms/${first.body.id}/members`, { token: users.bob!.token });
      expect(members.body.map((m: { username: string }) => m.username).sort()).toEqual(['alice', 'bob']);
      expect((await call('GET', `/rooms/${first.body.id}`, { token: users.carol!.token })).status).toBe(404);
      const extend = await call('POST', `/rooms/${first.body.id}/members`, {
        token: users.alice!.token,
        body: { username: 'carol' },
      });
      expect(extend.body.error.code).toBe('ROOM_DIRECT_FIXED');
    });

    it('refuses a direct room with oneself, with nobody, and with an unknown user', async () => {
      const self = await call('POST', '/rooms/direct', {
        token: users.alice!.token,
        body: { userId: users.alice!.id },
      });
      expect([self.status, self.body.error.code]).toEqual([400, 'ROOM_DIRECT_SELF']);
      const nobody = await call('POST', '/rooms/direct', { token: users.alice!.token, body: {} });
      expect([nobody.status, nobody.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
      const unknown = await call('POST', '/rooms/direct', { token: users.alice!.token, body: { username: 'nobody' } });
      expect([unknown.status, unknown.body.error.code]).toEqual([404, 'USER_NOT_FOUND']);
    });

    it('lists, shows, joins and leaves public rooms', async () => {
      const lobby = await call('POST', '/rooms', {
        token: users.alice!.token,
        body: { kind: 'public', name: 'lobby' },
      });
      const listed = await call('GET', '/rooms/public?limit=10', { token: users.carol!.token });
      expect(listed.status).toBe(200);
      expect(listed.body).toContainEqual(expect.objectContaining({ id: lobby.body.id, name: 'lobby', role: null }));
      expect((await call('GET', `/rooms/${lobby.body.id}`, { token: users.carol!.token })).body.role).toBeNull();

      const joined = await call('POST', `/rooms/${lobby.body.id}/join`, { token: users.carol!.token });
      expect(joined.status).toBe(200);
      expect(joined.body.role).toBe('member');
      expect((await call('POST', `/rooms/${lobby.body.id}/join`, { token: users.carol!.token })).status).toBe(200);
      expect((await call('POST', `/rooms/${lobby.body.id}/leave`, { token: users.carol!.token })).status).toBe(204);
      expect(removed).toContainEqual([lobby.body.id, users.carol!.id, 'left']);

      const badQuery = await call('GET', '/rooms/public?limit=0', { token: users.carol!.token });
      expect([badQuery.status, badQuery.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    });

    it('deletes a room (owner only, 204) and announces it to every member', async () => {
      const reply = await call('DELETE', `/rooms/${secret}`, { token: users.alice!.token });
      expect(reply.status).toBe(204);
      expect(removed).toContainEqual([secret, users.alice!.id, 'room deleted']);
      expect(removed).toContainEqual([secret, users.carol!.id, 'room deleted']);
      expect((await call('GET', `/rooms/${secret}`, { token: users.alice!.token })).status).toBe(404);
    });
  });

  describe('HTTP edges', () => {
    it('answers malformed JSON with 400 and a JSON error', async () => {
      const reply = await call('POST', '/auth/login', { raw: '{"username": ' });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('BAD_REQUEST');
    });

    it('refuses bodies over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
      const reply = await call('POST', '/auth/login', { body: { username: 'alice', password: 'x'.repeat(20_000) } });
      expect(reply.status).toBe(413);
      expect(reply.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers unknown routes with 404 NOT_FOUND', async () => {
      const reply = await call('GET', '/no/such/route');
      expect(reply.status).toBe(404);
      expect(reply.body.error.code).toBe('NOT_FOUND');
    });

    it('validates ids in paths', async () => {
      const reply = await call('GET', '/rooms/not-a-uuid', { token: users.alice!.token });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toEqual({ code: 'VALIDATION_FAILED', message: 'id must be a UUID' });
    });

    it('serves the OpenAPI document at /docs-json and the UI at /docs', async () => {
      const doc = await call('GET', '/docs-json');
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining([
          '/auth/register',
          '/auth/login',
          '/auth/refresh',
          '/auth/logout',
          '/me',
          '/rooms',
          '/rooms/{id}',
          '/rooms/direct',
        ]),
      );
      expect(doc.body.components.schemas.RegisterDto.properties).toHaveProperty('username');
      const ui = await fetch(`${rest.baseUrl}/docs`);
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('swagger');
    });
  });
});
