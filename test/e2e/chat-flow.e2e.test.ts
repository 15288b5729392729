import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client, IFrame } from '@stomp/stompjs';
import WebSocket from 'ws';
import { callApi } from '../support/rest-client.js';
import { connectStomp, connectWithToken, Inbox, StompErrorFrame } from '../support/stomp-client.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

interface Session {
  readonly userId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/**
 * The newcomer's path with real tokens, end to end: register → login → create a room →
 * invite → two members chat over STOMP → a non-member is refused; plus revocation,
 * removal and in-band renewal reaching live sessions.
 */
describe('chat flow with JWT-authenticated STOMP sessions', () => {
  let server: RunningApp;
  const clients: Client[] = [];

  beforeAll(async () => {
    server = await startTestApp({ JWT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-0123456789' });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.deactivate()));
    await server.close();
  });

  const api = (method: string, path: string, body?: unknown, token?: string) =>
    callApi(server.httpUrl, method, path, body, token);

  const signUp = async (username: string): Promise<Session> => {
    const registered = await api('POST', '/auth/register', {
      username,
      password: 'correct horse battery',
      displayName: username,
    });
    expect(registered.status).toBe(201);
    const login = await api('POST', '/auth/login', { username, password: 'correct horse battery' });
    expect(login.status).toBe(200);
    return { userId: registered.body.id, accessToken: login.body.accessToken, refreshToken: login.body.refreshToken };
  };

  const stomp = (token: string) => connectWithToken(server.wsUrl, token, clients);

  const closed = (client: Client) =>
    new Promise<{ error: IFrame | undefined }>((resolve) => {
      let error: IFrame | undefined;
      client.onStompError = (frame) => (error = frame);
      client.onWebSocketClose = () => resolve({ error });
    });

  it('lets two members chat and refuses a non-member', async () => {
    const alice = await signUp('alice');
    const bob = await signUp('bob');
    const carol = await signUp('carol');
    const room = await api('POST', '/rooms', { kind: 'private', name: 'project' }, alice.accessToken);
    expect(room.status).toBe(201);
    const invited = await api('POST', `/rooms/${room.body.id}/members`, { username: 'bob' }, alice.accessToken);
    expect(invited.status).toBe(201);

    const aliceClient = await stomp(alice.accessToken);
    const bobClient = await stomp(bob.accessToken);
    const inbox = new Inbox();
    await new Promise<void>((resolve) => {
      bobClient.watchForReceipt('sub', () => resolve());
      bobClient.subscribe(`/topic/rooms.${room.body.id}`, inbox.push, { receipt: 'sub' });
    });
    aliceClient.publish({
      destination: `/app/rooms.${room.body.id}`,
      body: 'hi bob',
      headers: { 'x-client-msg-id': 'a-1' },
    });
    const [message] = await inbox.waitFor(1);
    expect(message!.body).toBe('hi bob');
    expect(message!.headers['x-sender']).toBe('alice');
    expect(message!.headers['x-sender-id']).toBe(alice.userId);

    const carolClient = await stomp(carol.accessToken);
    const refused = closed(carolClient);
    carolClient.subscribe(`/topic/rooms.${room.body.id}`, () => {});
    expect((await refused).error?.headers['code']).toBe('AUTH_FORBIDDEN');
  });

  it('refuses a connection without a token, with a bad token, and a bad upgrade header', async () => {
    await expect(connectStomp(server.wsUrl, {})).rejects.toMatchObject({
      frame: { headers: { code: 'AUTH_REQUIRED' } },
    });
    await expect(connectStomp(server.wsUrl, { passcode: 'not.a.jwt' })).rejects.toBeInstanceOf(StompErrorFrame);
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(server.wsUrl, ['v12.stomp'], { headers: { Authorization: 'Bearer nope' } });
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => resolve(101));
      socket.on('error', () => {});
    });
    expect(status).toBe(401);
  });

  it('accepts the token on the upgrade request or as passcode', async () => {
    const dave = await signUp('dave');
    const viaPasscode = await connectStomp(server.wsUrl, { passcode: dave.accessToken });
    clients.push(viaPasscode);
    expect(viaPasscode.connected).toBe(true);
    const viaUpgrade = await connectStomp(
      server.wsUrl,
      {},
      { wsHeaders: { Authorization: `Bearer ${dave.accessToken}` } },
    );
    clients.push(viaUpgrade);
    expect(viaUpgrade.connected).toBe(true);
  });

  it('ends a removed member’s live subscription with an ERROR naming the reason', async () => {
    const owner = await signUp('erin');
    const member = await signUp('frank');
    const room = await api('POST', '/rooms', { kind: 'private', name: 'temp' }, owner.accessToken);
    await api('POST', `/rooms/${room.body.id}/members`, { username: 'frank' }, owner.accessToken);
    const frankClient = await stomp(member.accessToken);
    await new Promise<void>((resolve) => {
      frankClient.watchForReceipt('s', () => resolve());
      frankClient.subscribe(`/topic/rooms.${room.body.id}`, () => {}, { receipt: 's' });
    });
    const ended = closed(frankClient);
    const removed = await api(
      'DELETE',
      `/rooms/${room.body.id}/members/${member.userId}`,
      undefined,
      owner.accessToken,
    );
    expect(removed.status).toBeLessThan(300);
    const { error } = await ended;
    expect(error?.headers['code']).toBe('AUTH_FORBIDDEN');
    expect(error?.headers['message']).toContain('no longer a member');
  });

  it('closes a user’s live sessions on logout', async () => {
    const gina = await signUp('gina');
    const client = await stomp(gina.accessToken);
    const ended = closed(client);
    const logout = await api('POST', '/auth/logout', { refreshToken: gina.refreshToken }, gina.accessToken);
    expect(logout.status).toBe(204);
    expect((await ended).error?.headers['code']).toBe('AUTH_REVOKED');
  });

  it('renews the token in-band with a SEND to /app/session.renew', async () => {
    const hank = await signUp('hank');
    const client = await stomp(hank.accessToken);
    const fresh = await api('POST', '/auth/login', { username: 'hank', password: 'correct horse battery' });
    await new Promise<void>((resolve) => {
      client.watchForReceipt('renewed', () => resolve());
      client.publish({
        destination: '/app/session.renew',
        headers: { authorization: `Bearer ${fresh.body.accessToken}`, receipt: 'renewed' },
      });
    });
    expect(client.connected).toBe(true);
    const other = await signUp('ivan');
    const ended = closed(client);
    client.publish({ destination: '/app/session.renew', headers: { authorization: `Bearer ${other.accessToken}` } });
    expect((await ended).error?.headers['code']).toBe('AUTH_INVALID');
  });
});
