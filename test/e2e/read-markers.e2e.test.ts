import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client, IFrame } from '@stomp/stompjs';
import { callApi, signUp } from '../support/rest-client.js';
import { connectWithToken } from '../support/stomp-client.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

const JWT_SECRET = 'read-markers-secret-read-markers-secret-0123';

/**
 * Read markers on the embedded default (one instance, SQLite): reports over STOMP and REST,
 * forward-only and clamped to the room's latest sequence, unread counts in GET /rooms, writes
 * batched to the database and flushed on shutdown; non-members refused.
 */
describe('read markers and unread counts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-read-markers-'));
  const env = { JWT_SECRET, DATA_DIR: dataDir, SHUTDOWN_DRAIN_MS: '0' };
  let server: RunningApp;
  const clients: Client[] = [];
  let alice: { userId: string; token: string };
  let bob: { userId: string; token: string };
  let carol: { userId: string; token: string };
  let roomId: string;

  const api = (method: string, path: string, body?: unknown, token?: string) =>
    callApi(server.httpUrl, method, path, body, token);
  const stomp = (token: string) => connectWithToken(server.wsUrl, token, clients);
  const sendWithReceipt = (client: Client, destination: string, body: string, headers: Record<string, string> = {}) =>
    new Promise<void>((resolve) => {
      const receipt = randomUUID();
      client.watchForReceipt(receipt, () => resolve());
      client.publish({ destination, body, headers: { ...headers, receipt } });
    });
  const myRoom = async (token: string, id = roomId) => {
    const rooms = await api('GET', '/rooms', undefined, token);
    expect(rooms.status).toBe(200);
    return rooms.body.find((room: { id: string }) => room.id === id);
  };
  const storedMarker = async (userId: string) => {
    const members = await api('GET', `/rooms/${roomId}/members`, undefined, alice.token);
    return members.body.find((member: { userId: string }) => member.userId === userId).lastReadSeq as number;
  };
  const errorOf = (client: Client) =>
    new Promise<IFrame>((resolve) => {
      client.onStompError = resolve;
    });

  beforeAll(async () => {
    server = await startTestApp({ ...env, READ_MARKERS_FLUSH_INTERVAL_MS: '100' });
    alice = await signUp(server.httpUrl, 'alice');
    bob = await signUp(server.httpUrl, 'bob');
    carol = await signUp(server.httpUrl, 'carol');
    const room = await api('POST', '/rooms', { kind: 'private', name: 'reading' }, alice.token);
    roomId = room.body.id;
    await api('POST', `/rooms/${roomId}/members`, { username: 'bob' }, alice.token);
    const sender = await stomp(alice.token);
    for (let n = 1; n <= 5; n++) await sendWithReceipt(sender, `/app/rooms.${roomId}`, `message ${n}`);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.deactivate()));
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts every message as unread before any read marker', async () => {
    expect(await myRoom(bob.token)).toMatchObject({ lastReadSeq: 0, unreadCount: 5 });
    expect(await myRoom(alice.token)).toMatchObject({ lastReadSeq: 0, unreadCount: 5 });
  });

  it('takes a read marker over STOMP and shows it in GET /rooms at once, then in the database', async () => {
    const client = await stomp(bob.token);
    await sendWithReceipt(client, `/app/rooms.${roomId}.read`, JSON.stringify({ seq: 3 }));
    expect(await myRoom(bob.token)).toMatchObject({ lastReadSeq: 3, unreadCount: 2 });
    const deadline = Date.now() + 3_000;
    while ((await storedMarker(bob.userId)) !== 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await storedMarker(bob.userId)).toBe(3);
  });

  it('moves markers forward only and never past the latest sequence (REST)', async () => {
    const back = await api('PUT', `/rooms/${roomId}/read`, { seq: 1 }, bob.token);
    expect(back.status).toBe(200);
    expect(back.body).toEqual({ roomId, lastReadSeq: 3, unreadCount: 2 });
    const beyond = await api('PUT', `/rooms/${roomId}/read`, { seq: 1_000 }, bob.token);
    expect(beyond.body).toEqual({ roomId, lastReadSeq: 5, unreadCount: 0 });
    expect(await myRoom(bob.token)).toMatchObject({ lastReadSeq: 5, unreadCount: 0 });
    // Others' counts are their own.
    expect(await myRoom(alice.token)).toMatchObject({ lastReadSeq: 0, unreadCount: 5 });
  });

  it('coalesces many reports into the highest one', async () => {
    const client = await stomp(alice.token);
    await Promise.all(
      [4, 2, 5, 1, 3].map((seq) => sendWithReceipt(client, `/app/rooms.${roomId}.read`, JSON.stringify({ seq }))),
    );
    expect(await myRoom(alice.token)).toMatchObject({ lastReadSeq: 5, unreadCount: 0 });
  });

  it('refuses bad reports', async () => {
    expect((await api('PUT', `/rooms/${roomId}/read`, { seq: -1 }, bob.token)).status).toBe(400);
    expect((await api('PUT', `/rooms/${roomId}/read`, { seq: 'x' }, bob.token)).status).toBe(400);
    expect((await api('PUT', `/rooms/not-a-uuid/read`, { seq: 1 }, bob.token)).status).toBe(400);
    expect((await api('PUT', `/rooms/${roomId}/read`, { seq: 1 })).status).toBe(401);
    const client = await stomp(bob.token);
    const error = errorOf(client);
    client.publish({ destination: `/app/rooms.${roomId}.read`, body: 'three' });
    expect((await error).headers['code']).toBe('VALIDATION_FAILED');
  });

  it('refuses non-members over REST and STOMP', async () => {
    const rest = await api('PUT', `/rooms/${roomId}/read`, { seq: 1 }, carol.token);
    expect(rest.status).toBe(403);
    expect(rest.body.error.code).toBe('AUTH_FORBIDDEN');
    // An unknown room looks the same, so room ids cannot be probed this way.
    expect((await api('PUT', `/rooms/${randomUUID()}/read`, { seq: 1 }, carol.token)).status).toBe(403);
    const client = await stomp(carol.token);
    const error = errorOf(client);
    client.publish({ destination: `/app/rooms.${roomId}.read`, body: JSON.stringify({ seq: 1 }) });
    expect((await error).headers['code']).toBe('AUTH_FORBIDDEN');
  });

  it('writes pending markers on shutdown', async () => {
    await Promise.all(clients.splice(0).map((client) => client.deactivate()));
    await server.close();
    // Now nothing but the shutdown flush can write: the interval is longer than the test.
    server = await startTestApp({ ...env, READ_MARKERS_FLUSH_INTERVAL_MS: '600000' });
    // The in-process backplane starts its sequences afresh with the process.
    const sender = await stomp(alice.token);
    for (let n = 1; n <= 6; n++) await sendWithReceipt(sender, `/app/rooms.${roomId}`, `again ${n}`);
    const reader = await stomp(bob.token);
    await sendWithReceipt(reader, `/app/rooms.${roomId}.read`, JSON.stringify({ seq: 6 }));
    expect(await storedMarker(bob.userId)).toBe(5);
    await Promise.all(clients.splice(0).map((client) => client.deactivate()));
    await server.close();
    server = await startTestApp({ ...env, READ_MARKERS_FLUSH_INTERVAL_MS: '600000' });
    expect(await storedMarker(bob.userId)).toBe(6);
  });
});
