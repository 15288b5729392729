import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@stomp/stompjs';
import { callApi, signUp } from '../support/rest-client.js';
import { connectWithToken, Inbox } from '../support/stomp-client.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { until } from '../support/until.js';

interface MessageItem {
  id: string;
  seq: number;
  senderId: string;
  sender: string;
  contentType: string;
  body: string;
  encoding?: string;
  clientMsgId: string | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

interface Page {
  messages: MessageItem[];
  nextBefore: number | null;
}

/**
 * The history API end to end on the embedded default (in-process backplane, SQLite): messages
 * sent over STOMP by real clients come back newest first, page by page, from the replay log
 * and from the store the persister wrote; only members may read them.
 */
describe('GET /rooms/{id}/messages on the embedded default', () => {
  let server: RunningApp;
  const clients: Client[] = [];

  beforeAll(async () => {
    server = await startTestApp({
      JWT_SECRET: 'history-secret-history-secret-0123456789',
      // A few hundred messages are sent as fast as the client can; the limits are not under test here.
      STOMP_USER_SEND_RATE_PER_SECOND: '10000',
      STOMP_USER_SEND_BURST: '10000',
      STOMP_SEND_RATE_PER_SECOND: '10000',
      STOMP_SEND_BURST: '10000',
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.deactivate()));
    await server.close();
  });

  const api = (method: string, path: string, token?: string, body?: unknown) =>
    callApi(server.httpUrl, method, path, body, token);

  const stomp = (token: string) => connectWithToken(server.wsUrl, token, clients);

  /** Sends every body and waits until the sender's own subscription has seen them all. */
  const sendAll = async (
    client: Client,
    roomId: string,
    bodies: ReadonlyArray<{ body?: string; binaryBody?: Uint8Array; id: string }>,
  ) => {
    const inbox = new Inbox();
    const receipt = `sub-${randomUUID()}`;
    let subscription: { unsubscribe(): void } | undefined;
    await new Promise<void>((resolve) => {
      client.watchForReceipt(receipt, () => resolve());
      subscription = client.subscribe(`/topic/rooms.${roomId}`, inbox.push, { receipt });
    });
    for (const message of bodies) {
      client.publish({
        destination: `/app/rooms.${roomId}`,
        headers: {
          'x-client-msg-id': message.id,
          ...(message.binaryBody === undefined ? {} : { 'content-type': 'application/octet-stream' }),
        },
        ...(message.binaryBody === undefined ? { body: message.body ?? '' } : { binaryBody: message.binaryBody }),
      });
    }
    await inbox.waitFor(bodies.length, 20_000);
    subscription?.unsubscribe();
  };

  const history = async (token: string, roomId: string, query = ''): Promise<{ status: number; body: Page }> =>
    api('GET', `/rooms/${roomId}/messages${query}`, token) as Promise<{ status: number; body: Page }>;

  it('pages newest first with cursors, without gaps or duplicates, and filters with after', async () => {
    const alice = await signUp(server.httpUrl, 'hist_alice');
    const bob = await signUp(server.httpUrl, 'hist_bob');
    const room = await api('POST', '/rooms', alice.token, { kind: 'private', name: 'history' });
    expect(room.status).toBe(201);
    expect((await api('POST', `/rooms/${room.body.id}/members`, alice.token, { username: 'hist_bob' })).status).toBe(
      201,
    );

    const aliceClient = await stomp(alice.token);
    const sent = Array.from({ length: 120 }, (_, i) => ({ body: `message ${i + 1}`, id: `c-${i + 1}` }));
    await sendAll(aliceClient, room.body.id, sent);

    const seen: MessageItem[] = [];
    let before: number | null = null;
    let pages = 0;
    do {
      const page = await history(bob.token, room.body.id, `?limit=50${before === null ? '' : `&before=${before}`}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.messages);
      before = page.body.nextBefore;
      pages++;
    } while (before !== null);

    expect(pages).toBe(3);
    expect(seen.map((message) => message.seq)).toEqual(Array.from({ length: 120 }, (_, i) => 120 - i));
    expect(seen.map((message) => message.body)).toEqual(sent.map((message) => message.body).reverse());
    expect(new Set(seen.map((message) => message.id)).size).toBe(120);
    expect(seen[0]).toMatchObject({
      seq: 120,
      senderId: alice.userId,
      sender: 'hist_alice',
      contentType: 'text/plain;charset=utf-8',
      body: 'message 120',
      clientMsgId: 'c-120',
      editedAt: null,
      deletedAt: null,
    });
    expect(seen[0]).not.toHaveProperty('encoding');
    expect(Date.parse(seen[0]!.createdAt)).toBeGreaterThan(Date.now() - 60_000);

    // `after` pages the other way round: only what is newer than the client's last seq.
    const newer = await history(bob.token, room.body.id, '?after=115');
    expect(newer.body.messages.map((message) => message.seq)).toEqual([120, 119, 118, 117, 116]);
    expect(newer.body.nextBefore).toBeNull();
  });

  it('gives binary bodies as base64 and reads what the persister stored once the replay log has moved on', async () => {
    const alice = await signUp(server.httpUrl, 'hist_carol');
    const room = await api('POST', '/rooms', alice.token, { kind: 'public', name: 'binary' });
    const client = await stomp(alice.token);
    const binary = Uint8Array.from([0xff, 0x00, 0xfe, 0x10]);
    await sendAll(client, room.body.id, [{ binaryBody: binary, id: 'bin-1' }]);
    // Over a thousand more: the in-process replay log keeps 1,000, so seq 1 is only in the store now.
    await sendAll(
      client,
      room.body.id,
      Array.from({ length: 1_050 }, (_, i) => ({ body: `filler ${i}`, id: `f-${i}` })),
    );
    // The persister has caught up once its backlog is empty (the gauge on /metrics).
    await until(async () => /^persister_backlog 0$/m.test(await (await fetch(`${server.httpUrl}/metrics`)).text()));

    const oldest = await history(alice.token, room.body.id, '?before=2&limit=1');
    expect(oldest.body.messages[0]).toMatchObject({
      seq: 1,
      contentType: 'application/octet-stream',
      encoding: 'base64',
      body: Buffer.from(binary).toString('base64'),
      clientMsgId: 'bin-1',
    });
    expect(oldest.body.nextBefore).toBeNull();

    // The log holds 52..1051; the page of before=152 takes 52..151 from it and 2..51 from the store.
    const straddling = await history(alice.token, room.body.id, '?before=152&limit=150');
    expect(straddling.body.messages.map((message) => message.seq)).toEqual(
      Array.from({ length: 150 }, (_, i) => 151 - i),
    );
    expect(straddling.body.nextBefore).toBe(2);
    const all: number[] = [];
    let before: number | null = null;
    do {
      const page = await history(alice.token, room.body.id, `?limit=150${before === null ? '' : `&before=${before}`}`);
      all.push(...page.body.messages.map((message) => message.seq));
      before = page.body.nextBefore;
    } while (before !== null);
    expect(all).toEqual(Array.from({ length: 1_051 }, (_, i) => 1_051 - i));
  });

  it('refuses non-members: 404 for a private room, 403 for a public one, 401 without a token', async () => {
    const owner = await signUp(server.httpUrl, 'hist_owner');
    const stranger = await signUp(server.httpUrl, 'hist_stranger');
    const secret = await api('POST', '/rooms', owner.token, { kind: 'private', name: 'secret' });
    const open = await api('POST', '/rooms', owner.token, { kind: 'public', name: 'open' });

    const hidden = await history(stranger.token, secret.body.id);
    expect(hidden.status).toBe(404);
    expect(hidden.body).toMatchObject({ error: { code: 'ROOM_NOT_FOUND' } });
    expect((await history(stranger.token, randomUUID())).body).toMatchObject({
      error: { code: 'ROOM_NOT_FOUND' },
    });

    const notJoined = await history(stranger.token, open.body.id);
    expect(notJoined.status).toBe(403);
    expect(notJoined.body).toMatchObject({ error: { code: 'AUTH_FORBIDDEN' } });
    expect((await api('POST', `/rooms/${open.body.id}/join`, stranger.token)).status).toBe(200);
    expect(await history(stranger.token, open.body.id)).toEqual({
      status: 200,
      body: { messages: [], nextBefore: null },
    });

    expect((await api('GET', `/rooms/${secret.body.id}/messages`)).status).toBe(401);
  });

  it('validates the cursors and the limit', async () => {
    const owner = await signUp(server.httpUrl, 'hist_validator');
    const room = await api('POST', '/rooms', owner.token, { kind: 'private', name: 'limits' });
    for (const query of ['?limit=0', '?limit=201', '?before=0', '?after=-1', '?before=abc', '?page=2']) {
      const response = await history(owner.token, room.body.id, query);
      expect({
        query,
        status: response.status,
        code: (response.body as unknown as { error: { code: string } }).error.code,
      }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    expect((await history(owner.token, room.body.id, '?limit=200')).status).toBe(200);
  });
});
