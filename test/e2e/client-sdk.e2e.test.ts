import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ChatClient, ChatError, type StateEvent } from '../../client/src/chat-client.js';
import WebSocket from 'ws';
import { isContiguous, RoomLog, SDK_PASSWORD, sdkUser } from '../support/chat-sdk.js';
import { callApi } from '../support/rest-client.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { until } from '../support/until.js';

/**
 * The TypeScript SDK (client/) against the real embedded server, with a TCP proxy standing in
 * for one client's network so it can go offline for real.
 */
describe('client SDK on the embedded server', () => {
  let server: RunningApp;
  let proxy: TcpProxy;
  const opened: ChatClient[] = [];

  beforeAll(async () => {
    server = await startTestApp({
      // Bob sends more than the replay log holds in one go; the default limits would slow him down.
      STOMP_USER_SEND_RATE_PER_SECOND: '100000',
      STOMP_USER_SEND_BURST: '100000',
      STOMP_SEND_RATE_PER_SECOND: '100000',
      STOMP_SEND_BURST: '100000',
    });
    proxy = await startTcpProxy(server.port);
  });

  afterAll(async () => {
    await Promise.all(opened.map((chat) => chat.close()));
    await proxy.close();
    await server.close();
  });

  /** Alice behind the proxy, bob direct, both in one new private room. */
  const twoInARoom = async (suffix: string) => {
    const alice = await sdkUser(
      server.httpUrl,
      `alice_${suffix}`,
      { wsUrl: `ws://127.0.0.1:${proxy.port}/ws` },
      opened,
    );
    const bob = await sdkUser(server.httpUrl, `bob_${suffix}`, {}, opened);
    const room = await alice.api.createRoom(`room ${suffix}`);
    await alice.api.addMember(room.id, `bob_${suffix}`);
    await alice.join(room.id);
    await bob.join(room.id);
    return { alice, bob, roomId: room.id };
  };

  const states = (chat: ChatClient): StateEvent[] => {
    const seen: StateEvent[] = [];
    chat.on('state', (event) => seen.push(event));
    return seen;
  };

  it('delivers what was sent while a client was offline exactly once, in order, and sends its own outbox', async () => {
    const { alice, bob, roomId } = await twoInARoom('offline');
    const aliceLog = new RoomLog(alice, roomId);
    const bobLog = new RoomLog(bob, roomId);
    const aliceStates = states(alice);
    await bob.send(roomId, 'before');
    await aliceLog.waitForCount(1);

    // Written to the socket, then the network goes: some may reach the server, no RECEIPT gets back.
    const aliceSends = [1, 2, 3, 4, 5].map((n) => alice.send(roomId, `alice ${n}`));
    setImmediate(() => proxy.cut());
    await until(() => alice.state === 'reconnecting');
    for (let n = 1; n <= 20; n++) await bob.send(roomId, `bob ${n}`);
    const moreFromAlice = alice.send(roomId, 'alice 6 (written offline)');
    expect(alice.pendingCount).toBeGreaterThan(0);

    proxy.restore();
    await Promise.all([...aliceSends, moreFromAlice]);
    await bobLog.waitForCount(1 + 20 + 6);
    await aliceLog.waitForCount(1 + 20 + 6);
    await new Promise((resolve) => setTimeout(resolve, 300)); // anything extra would show now

    const expected = ['before', ...range(20).map((n) => `bob ${n}`)];
    const aliceOwn = [...range(5).map((n) => `alice ${n}`), 'alice 6 (written offline)'];
    for (const log of [aliceLog, bobLog]) {
      expect(isContiguous(log.seqs)).toBe(true);
      expect(log.bodies).toHaveLength(27);
      expect(log.bodies.filter((body) => body.startsWith('bob') || body === 'before')).toEqual(expected);
      expect(log.bodies.filter((body) => body.startsWith('alice'))).toEqual(aliceOwn);
    }
    expect(aliceLog.bodies).toEqual(bobLog.bodies);
    expect(aliceLog.messages.some((message) => message.source === 'replay')).toBe(true);
    expect(aliceStates.map((event) => event.state)).toContain('reconnecting');
    expect(alice.pendingCount).toBe(0);
  });

  it('fills a truncated replay from history: more missed than the replay log holds', async () => {
    const { alice, bob, roomId } = await twoInARoom('truncated');
    const aliceLog = new RoomLog(alice, roomId);
    const gaps: unknown[] = [];
    alice.on('gap', (gap) => gaps.push(gap));
    proxy.cut();
    await until(() => alice.state === 'reconnecting');
    const total = 1_150; // the embedded replay log keeps the newest 1,000
    await Promise.all(range(total).map((n) => bob.send(roomId, `m${n}`)));
    proxy.restore();
    await aliceLog.waitForCount(total, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(aliceLog.bodies).toEqual(range(total).map((n) => `m${n}`));
    expect(isContiguous(aliceLog.seqs)).toBe(true);
    expect(aliceLog.messages.filter((message) => message.source === 'history').length).toBeGreaterThan(0);
    expect(gaps).toEqual([]);
  }, 60_000);

  it('emits typed edit, delete, typing, presence and read events', async () => {
    const { alice, bob, roomId } = await twoInARoom('events');
    const seen: string[] = [];
    bob.on('edit', (edit) => seen.push(`edit ${edit.targetSeq} ${edit.body} by ${edit.editor}`));
    bob.on('delete', (removal) => seen.push(`delete ${removal.targetSeq}`));
    bob.on('typing', (typing) => seen.push(`typing ${typing.username} ${typing.typing}`));
    bob.on('presence', (presence) => seen.push(`presence ${presence.username} ${presence.status}`));
    alice.on('read', (read) => seen.push(`read ${read.seq}`));
    const bobLog = new RoomLog(bob, roomId);

    await alice.send(roomId, 'first draft');
    await bobLog.waitForCount(1);
    const seq = bobLog.seqs[0]!;
    await alice.edit(roomId, seq, 'final words');
    await alice.delete(roomId, seq);
    alice.typing(roomId);
    await alice.markRead(roomId, seq);
    // Dave's first session anywhere makes him "online" in every room he is in.
    await callApi(server.httpUrl, 'POST', '/auth/register', { username: 'dave_events', password: SDK_PASSWORD });
    await alice.api.addMember(roomId, 'dave_events');
    const dave = await ChatClient.login({
      url: server.httpUrl,
      username: 'dave_events',
      password: SDK_PASSWORD,
      webSocket: WebSocket,
    });
    opened.push(dave);
    await until(() => seen.includes('presence dave_events online'), 10_000);
    expect(seen).toEqual(
      expect.arrayContaining([
        `edit ${seq} final words by alice_events`,
        `delete ${seq}`,
        'typing alice_events true',
        `read ${seq}`,
        'presence dave_events online',
      ]),
    );

    bob.leave(roomId);
    await alice.send(roomId, 'after bob left');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bobLog.bodies).toEqual(['first draft']);
  });

  it('reports the server’s codes as typed errors, and refuses a message for good only when retrying cannot help', async () => {
    const { alice, roomId } = await twoInARoom('errors');
    const carol = await sdkUser(server.httpUrl, 'carol_errors', {}, opened);
    const notFound = await carol.join(roomId).catch((error: unknown) => error);
    expect(notFound).toBeInstanceOf(ChatError);
    expect(notFound).toMatchObject({ code: 'ROOM_NOT_FOUND', status: 404 });
    const refused = await carol.send(roomId, 'let me in').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ChatError);
    expect(refused).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    expect(carol.pendingCount).toBe(0);
    await carol.online(); // the ERROR ended that session; the client came back by itself
    await alice.send(roomId, 'still fine');
    const badEdit = await alice.edit(roomId, 9_999, 'nothing there').catch((error: unknown) => error);
    expect(badEdit).toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
  });

  it('leaves nothing behind after close(): a Node process using it exits on its own', async () => {
    // The compiled SDK in a process of its own (`npm test` builds first), so the server's own
    // timers in this process cannot hide or fake anything: if the SDK left a timer or a socket
    // open, the event loop would never empty.
    const script = `
      import WebSocket from 'ws';
      import { ChatClient } from './dist/client/src/chat-client.js';
      const chat = await ChatClient.register({ url: process.argv[1], username: 'erin_exits', password: 'correct horse battery', webSocket: WebSocket });
      await chat.online();
      const room = await chat.api.createRoom('exits');
      await chat.join(room.id);
      await chat.send(room.id, 'hello');
      const unsent = chat.send(room.id, 'in flight when closed').catch((error) => error.code);
      await chat.close();
      console.log(chat.state, await unsent);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, server.httpUrl], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit') as Promise<[number | null]>;
    const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code] = await exited;
    clearTimeout(timeout);
    expect(code).toBe(0); // null: it was still running after 15 s and had to be killed
    expect(output.trim()).toMatch(/^closed (CLIENT_CLOSED|undefined)$/);
  });
});

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index + 1);
}
