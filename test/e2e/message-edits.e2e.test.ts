import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client, IFrame, IMessage } from '@stomp/stompjs';
import { MESSAGE_STORE, type MessageStore } from '../../app/src/messages/store/message-store.port.js';
import { callApi, signUp } from '../support/rest-client.js';
import { connectWithToken, Inbox } from '../support/stomp-client.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { until } from '../support/until.js';

interface HistoryItem {
  seq: number;
  kind: string;
  targetSeq: number | null;
  senderId: string;
  sender: string;
  body: string;
  editedAt: string | null;
  deletedAt: string | null;
}

/**
 * Edits and deletions end to end on the embedded default, with unmodified @stomp/stompjs
 * clients and the REST API: the author edits over STOMP and a live subscriber sees the event
 * with its own x-seq; the owner (a moderator) deletes over REST; another member may not edit
 * the owner's message; a non-member reaches none of it; history shows the edited message and
 * the tombstone, first from the replay log and the store together, then (after a restart, with
 * an empty replay log) from what the persister stored.
 */
describe('editing and deleting messages', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-edits-'));
  const env = { DATA_DIR: dataDir, JWT_SECRET: 'edits-secret-edits-secret-edits-0123456789' };
  let server: RunningApp;
  const clients: Client[] = [];

  beforeAll(async () => {
    server = await startTestApp(env);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.deactivate()));
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = (method: string, path: string, body?: unknown, token?: string) =>
    callApi(server.httpUrl, method, path, body, token);

  const stomp = (token: string) => connectWithToken(server.wsUrl, token, clients);

  const subscribe = (client: Client, destination: string, headers: Record<string, string> = {}) =>
    new Promise<Inbox>((resolve) => {
      const inbox = new Inbox();
      const receipt = `sub-${Math.random()}`;
      client.watchForReceipt(receipt, () => resolve(inbox));
      client.subscribe(destination, inbox.push, { ...headers, receipt });
    });

  const sendWithReceipt = (client: Client, destination: string, body: string, headers: Record<string, string> = {}) =>
    new Promise<void>((resolve) => {
      const receipt = `send-${Math.random()}`;
      client.watchForReceipt(receipt, () => resolve());
      client.publish({ destination, body, headers: { ...headers, receipt } });
    });

  /** Resolves with the ERROR frame (if any) once the server has closed the connection. */
  const closed = (client: Client) =>
    new Promise<IFrame | undefined>((resolve) => {
      let error: IFrame | undefined;
      client.onStompError = (frame) => (error = frame);
      client.onWebSocketClose = () => resolve(error);
    });

  const headersOf = (message: IMessage) => ({
    seq: message.headers['x-seq'],
    event: message.headers['x-event'],
    target: message.headers['x-target-seq'],
    sender: message.headers['x-sender'],
    senderId: message.headers['x-sender-id'],
    body: message.body,
  });

  it('lets the author edit and a moderator delete, refuses everyone else, and history shows the result', async () => {
    const alice = await signUp(server.httpUrl, 'edit_alice');
    const bob = await signUp(server.httpUrl, 'edit_bob');
    const carol = await signUp(server.httpUrl, 'edit_carol');
    const created = await api('POST', '/rooms', { kind: 'private', name: 'edits' }, alice.token);
    expect(created.status).toBe(201);
    const roomId = created.body.id as string;
    expect((await api('POST', `/rooms/${roomId}/members`, { username: 'edit_bob' }, alice.token)).status).toBe(201);
    const topic = `/topic/rooms.${roomId}`;

    const aliceClient = await stomp(alice.token);
    const bobClient = await stomp(bob.token);
    const live = await subscribe(aliceClient, topic);
    await sendWithReceipt(bobClient, `/app/rooms.${roomId}`, 'bob, first', { 'x-client-msg-id': 'b-1' }); // seq 1
    await sendWithReceipt(bobClient, `/app/rooms.${roomId}`, 'bob, second'); // seq 2
    await sendWithReceipt(aliceClient, `/app/rooms.${roomId}`, 'alice, note'); // seq 3
    await live.waitFor(3);

    // The author edits over STOMP; the live subscriber sees the event in order, with its own x-seq.
    await sendWithReceipt(bobClient, `/app/rooms.${roomId}.edit`, 'bob, first (edited)', { 'x-target-seq': '1' });
    const [edit] = (await live.waitFor(4)).slice(3);
    expect(headersOf(edit!)).toEqual({
      seq: '4',
      event: 'edit',
      target: '1',
      sender: 'edit_bob',
      senderId: bob.userId,
      body: 'bob, first (edited)',
    });
    expect(edit!.headers['content-type']).toBe('text/plain;charset=utf-8');

    // The owner moderates over REST: the answer is the delete event, which subscribers see too.
    const deleted = await api('DELETE', `/rooms/${roomId}/messages/2`, undefined, alice.token);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ seq: 5, kind: 'delete', targetSeq: 2, senderId: alice.userId, body: '' });
    const [deletion] = (await live.waitFor(5)).slice(4);
    expect(headersOf(deletion!)).toEqual({
      seq: '5',
      event: 'delete',
      target: '2',
      sender: 'edit_alice',
      senderId: alice.userId,
      body: '',
    });

    // Another member may not edit the owner's message: not over REST, not over STOMP (ERROR ends the session).
    const forbidden = await api('PATCH', `/rooms/${roomId}/messages/3`, { body: 'hijacked' }, bob.token);
    expect(forbidden).toMatchObject({ status: 403, body: { error: { code: 'AUTH_FORBIDDEN' } } });
    const bobEnded = closed(bobClient);
    bobClient.publish({ destination: `/app/rooms.${roomId}.edit`, body: 'hijacked', headers: { 'x-target-seq': '3' } });
    const bobError = await bobEnded;
    expect(bobError?.headers['code']).toBe('AUTH_FORBIDDEN');
    expect(bobError?.headers['message']).toContain('message 3');

    // A non-member reaches nothing: 404 for the private room over REST, AUTH_FORBIDDEN over STOMP.
    for (const [method, body] of [
      ['PATCH', { body: 'nope' }],
      ['DELETE', undefined],
    ] as const) {
      const refused = await api(method, `/rooms/${roomId}/messages/1`, body, carol.token);
      expect(refused).toMatchObject({ status: 404, body: { error: { code: 'ROOM_NOT_FOUND' } } });
    }
    expect((await api('GET', `/rooms/${roomId}/messages`, undefined, carol.token)).status).toBe(404);
    for (const destination of [`/app/rooms.${roomId}.edit`, `/app/rooms.${roomId}.delete`]) {
      const carolClient = await stomp(carol.token);
      const carolEnded = closed(carolClient);
      carolClient.publish({ destination, body: 'nope', headers: { 'x-target-seq': '1' } });
      expect((await carolEnded)?.headers['code']).toBe('AUTH_FORBIDDEN');
    }
    const peeker = await stomp(carol.token);
    const peekerEnded = closed(peeker);
    peeker.subscribe(topic, () => {});
    expect((await peekerEnded)?.headers['code']).toBe('AUTH_FORBIDDEN');

    // Nothing of the refused attempts was published: the next message is seq 6.
    await sendWithReceipt(aliceClient, `/app/rooms.${roomId}`, 'alice, later'); // seq 6
    const messages = await live.waitFor(6);
    expect(messages.map((message) => message.headers['x-seq'])).toEqual(['1', '2', '3', '4', '5', '6']);

    // A client resuming after seq 3 gets the edit and the delete in its replay.
    const resumed = await subscribe(aliceClient, topic, { 'x-since-seq': '3' });
    const replayed = await resumed.waitFor(3);
    expect(
      replayed.map((message) => [message.headers['x-seq'], message.headers['x-event'], message.headers['x-replayed']]),
    ).toEqual([
      ['4', 'edit', 'true'],
      ['5', 'delete', 'true'],
      ['6', undefined, 'true'],
    ]);

    // History once the persister has written it all (poll the store).
    const store = server.app.get<MessageStore>(MESSAGE_STORE);
    await until(async () => (await store.get(roomId, 6)) !== null && (await store.get(roomId, 2))?.deletedAt != null);
    const storedEdit = await store.get(roomId, 1);
    expect(storedEdit).toMatchObject({ body: Buffer.from('bob, first (edited)'), kind: 'message' });
    expect(storedEdit!.editedAt).not.toBeNull();

    const expectHistory = async (label: string) => {
      const page = await api('GET', `/rooms/${roomId}/messages?limit=50`, undefined, bob.token);
      expect({ label, status: page.status }).toEqual({ label, status: 200 });
      const items = page.body.messages as HistoryItem[];
      expect(items.map(({ seq, kind, targetSeq, body }) => ({ seq, kind, targetSeq, body }))).toEqual([
        { seq: 6, kind: 'message', targetSeq: null, body: 'alice, later' },
        { seq: 5, kind: 'delete', targetSeq: 2, body: '' },
        { seq: 4, kind: 'edit', targetSeq: 1, body: 'bob, first (edited)' },
        { seq: 3, kind: 'message', targetSeq: null, body: 'alice, note' },
        { seq: 2, kind: 'message', targetSeq: null, body: '' },
        { seq: 1, kind: 'message', targetSeq: null, body: 'bob, first (edited)' },
      ]);
      const bySeq = new Map(items.map((item) => [item.seq, item]));
      expect(bySeq.get(1)).toMatchObject({ sender: 'edit_bob', editedAt: expect.any(String), deletedAt: null });
      expect(bySeq.get(2)).toMatchObject({ sender: 'edit_bob', editedAt: null, deletedAt: expect.any(String) });
      expect(bySeq.get(5)).toMatchObject({ sender: 'edit_alice', senderId: alice.userId });
      expect(bySeq.get(3)).toMatchObject({ editedAt: null, deletedAt: null });
    };
    await expectHistory('replay log and store');

    // After a restart the in-process replay log is empty: the same history comes from the store alone.
    await Promise.all(clients.splice(0).map((client) => client.deactivate()));
    await server.close();
    server = await startTestApp(env);
    await expectHistory('store alone');
  });

  it('refuses an unknown seq, an event, a deleted message, an empty edit and a bad seq', async () => {
    const dan = await signUp(server.httpUrl, 'edit_dan');
    const roomId = (await api('POST', '/rooms', { kind: 'public', name: 'edit-errors' }, dan.token)).body.id as string;
    const client = await stomp(dan.token);
    await sendWithReceipt(client, `/app/rooms.${roomId}`, 'one'); // seq 1
    await sendWithReceipt(client, `/app/rooms.${roomId}`, 'two'); // seq 2
    const edited = await api('PATCH', `/rooms/${roomId}/messages/1`, { body: 'one, edited' }, dan.token); // seq 3
    expect(edited).toMatchObject({ status: 200, body: { seq: 3, kind: 'edit', targetSeq: 1, body: 'one, edited' } });
    expect((await api('DELETE', `/rooms/${roomId}/messages/2`, undefined, dan.token)).status).toBe(200); // seq 4

    const cases: Array<[string, string, unknown, number, string]> = [
      ['PATCH', '99', { body: 'x' }, 404, 'MESSAGE_NOT_FOUND'],
      ['DELETE', '99', undefined, 404, 'MESSAGE_NOT_FOUND'],
      ['PATCH', '3', { body: 'x' }, 409, 'MESSAGE_NOT_EDITABLE'],
      ['DELETE', '4', undefined, 409, 'MESSAGE_NOT_EDITABLE'],
      ['PATCH', '2', { body: 'x' }, 409, 'MESSAGE_DELETED'],
      ['DELETE', '2', undefined, 409, 'MESSAGE_DELETED'],
      ['PATCH', '1', { body: '' }, 400, 'VALIDATION_FAILED'],
      ['PATCH', '1', {}, 400, 'VALIDATION_FAILED'],
      ['PATCH', '0', { body: 'x' }, 400, 'VALIDATION_FAILED'],
      ['DELETE', 'abc', undefined, 400, 'VALIDATION_FAILED'],
    ];
    for (const [method, seq, body, status, code] of cases) {
      const reply = await api(method, `/rooms/${roomId}/messages/${seq}`, body, dan.token);
      expect({ method, seq, status: reply.status, code: reply.body?.error?.code }).toEqual({
        method,
        seq,
        status,
        code,
      });
    }

    // A public room the caller has not joined: 403, as for its history.
    const erin = await signUp(server.httpUrl, 'edit_erin');
    expect((await api('DELETE', `/rooms/${roomId}/messages/1`, undefined, erin.token)).body).toMatchObject({
      error: { code: 'AUTH_FORBIDDEN' },
    });

    // STOMP: the header is required and must be a seq.
    for (const [headers, code] of [
      [{}, 'PROTOCOL_MISSING_HEADER'],
      [{ 'x-target-seq': 'one' }, 'PROTOCOL_BAD_HEADER'],
      [{ 'x-target-seq': '99' }, 'MESSAGE_NOT_FOUND'],
    ] as Array<[Record<string, string>, string]>) {
      const session = await stomp(dan.token);
      const ended = closed(session);
      session.publish({ destination: `/app/rooms.${roomId}.delete`, headers });
      expect((await ended)?.headers['code']).toBe(code);
    }
  });
});
