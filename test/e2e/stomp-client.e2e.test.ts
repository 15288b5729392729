import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@stomp/stompjs';
import WebSocket from 'ws';
import { connectStomp, Inbox, StompErrorFrame } from '../support/stomp-client.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

/** End to end with an unmodified @stomp/stompjs 7 client against the real server. */
describe('STOMP over WebSocket with @stomp/stompjs', () => {
  let server: RunningApp;
  const clients: Client[] = [];

  beforeAll(async () => {
    server = await startTestApp({
      AUTH_DEV_ACCEPT_ANY: 'true',
      // These tests publish straight to their own topics.
      STOMP_CLIENT_TOPICS: '/topic/e2e.**',
      STOMP_HEARTBEAT_SEND_MS: '100',
      STOMP_HEARTBEAT_RECEIVE_MS: '100',
      ALLOWED_ORIGINS: 'https://chat.example',
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.deactivate()));
    await server.close();
  });

  const connect = async (login: string, options?: Parameters<typeof connectStomp>[2]) => {
    const client = await connectStomp(server.wsUrl, { login }, options);
    clients.push(client);
    return client;
  };

  it('serves GET /healthz', async () => {
    const response = await fetch(`${server.httpUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('connects, subscribes, sends and receives with headers, and confirms with receipts', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    const inbox = new Inbox();
    const subscribed = new Promise<void>((resolve) => alice.watchForReceipt('sub-1', () => resolve()));
    alice.subscribe('/topic/e2e.chat', inbox.push, { receipt: 'sub-1' });
    await subscribed;

    const sent = new Promise<void>((resolve) => bob.watchForReceipt('send-1', () => resolve()));
    bob.publish({
      destination: '/topic/e2e.chat',
      body: 'héllo wörld',
      headers: { 'content-type': 'text/plain', 'x-trace': 'abc', receipt: 'send-1' },
    });
    await sent;
    const [message] = await inbox.waitFor(1);
    expect(message!.body).toBe('héllo wörld');
    expect(message!.headers['destination']).toBe('/topic/e2e.chat');
    expect(message!.headers['content-type']).toBe('text/plain');
    expect(message!.headers['x-trace']).toBe('abc');
    expect(message!.headers['message-id']).toBeTruthy();
    expect(message!.headers['subscription']).toBeTruthy();
  });

  it('stops delivery after unsubscribe', async () => {
    const alice = await connect('alice2');
    const inbox = new Inbox();
    const subscription = alice.subscribe('/topic/e2e.unsub', inbox.push);
    alice.publish({ destination: '/topic/e2e.unsub', body: 'first' });
    await inbox.waitFor(1);
    subscription.unsubscribe();
    const done = new Promise<void>((resolve) => alice.watchForReceipt('after', () => resolve()));
    alice.publish({ destination: '/topic/e2e.unsub', body: 'second', headers: { receipt: 'after' } });
    await done;
    expect(inbox.messages.map((m) => m.body)).toEqual(['first']);
  });

  it('applies a transaction only at commit, and drops an aborted one', async () => {
    const alice = await connect('alice3');
    const inbox = new Inbox();
    alice.subscribe('/topic/e2e.tx', inbox.push);
    const aborted = alice.begin();
    alice.publish({ destination: '/topic/e2e.tx', body: 'never', headers: { transaction: aborted.id } });
    aborted.abort();
    const tx = alice.begin();
    alice.publish({ destination: '/topic/e2e.tx', body: 'one', headers: { transaction: tx.id } });
    alice.publish({ destination: '/topic/e2e.tx', body: 'two', headers: { transaction: tx.id } });
    const probe = new Promise<void>((resolve) => alice.watchForReceipt('probe', () => resolve()));
    alice.publish({ destination: '/topic/e2e.other', body: 'x', headers: { receipt: 'probe' } });
    await probe;
    expect(inbox.messages).toHaveLength(0);
    tx.commit();
    const messages = await inbox.waitFor(2);
    expect(messages.map((m) => m.body)).toEqual(['one', 'two']);
  });

  it('supports client-individual acknowledgements', async () => {
    const alice = await connect('alice4');
    const inbox = new Inbox();
    alice.subscribe('/topic/e2e.ack', inbox.push, { ack: 'client-individual' });
    alice.publish({ destination: '/topic/e2e.ack', body: 'a' });
    alice.publish({ destination: '/topic/e2e.ack', body: 'b' });
    const [first, second] = await inbox.waitFor(2);
    expect(first!.headers['ack']).toBeTruthy();
    second!.ack({ receipt: 'acked' });
    await new Promise<void>((resolve) => alice.watchForReceipt('acked', () => resolve()));
    first!.nack();
    expect(alice.connected).toBe(true);
  });

  it('heart-beats keep a live client connected', async () => {
    const alice = await connect('beating', { heartbeatIncoming: 100, heartbeatOutgoing: 100 });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(alice.connected).toBe(true);
  });

  it('drops a client that promised heart-beats and went silent', async () => {
    const socket = new WebSocket(server.wsUrl, ['v12.stomp']);
    const received: string[] = [];
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('message', (data) => received.push(data.toString()));
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send('CONNECT\naccept-version:1.2\nlogin:mute\nheart-beat:100,0\n\n\0');
    expect(await closed).toBe(1008);
    const error = received.find((frame) => frame.startsWith('ERROR'));
    expect(error).toContain('code:LIMIT_HEARTBEAT_TIMEOUT');
  });

  it('reports a protocol violation as an ERROR frame', async () => {
    const client = connectStomp(server.wsUrl, {}); // no login: the dev authenticator refuses
    await expect(client).rejects.toBeInstanceOf(StompErrorFrame);
    await expect(client).rejects.toMatchObject({ frame: { headers: { code: 'AUTH_REQUIRED' } } });
  });

  it('serves /readyz and Prometheus /metrics that count connections and deliveries', async () => {
    await connect('metrics-reader');
    const ready = await fetch(`${server.httpUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', draining: false });
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(value('stomp_connections')).toBeGreaterThanOrEqual(1);
    expect(value('stomp_deliveries_total')).toBeGreaterThanOrEqual(1);
    expect(metrics).toContain('stomp_frames_in_total{command="SEND"}');
    expect(metrics).toContain('stomp_send_to_deliver_seconds_bucket');
    // Sampled every 100 ms rather than prom-client's 10 ms, but still exported.
    expect(value('nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('refuses upgrades from origins not on the allow-list, and other paths', async () => {
    const status = (url: string, headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(url, ['v12.stomp'], { headers });
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('open', () => resolve(101));
        socket.on('error', () => {});
      });
    expect(await status(server.wsUrl, { Origin: 'https://evil.example' })).toBe(403);
    expect(await status(server.wsUrl, { Origin: 'https://chat.example' })).toBe(101);
    expect(await status(server.wsUrl.replace('/ws', '/nope'), {})).toBe(404);
  });
});
