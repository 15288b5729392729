import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import { startTestApp, type RunningApp } from '../support/test-app.js';

/**
 * Half-open requests on the HTTP listener (the WebSocket path included), over raw TCP: a request
 * head left unfinished is answered 408 and closed within HTTP_HEADERS_TIMEOUT_MS, and one address
 * cannot hold more than HTTP_MAX_PENDING_PER_ADDRESS such connections while others still get in.
 */
const HEADERS_TIMEOUT_MS = 600;
const MAX_PENDING = 3;
const PARTIAL_UPGRADE = 'GET /ws HTTP/1.1\r\nHost: chat\r\nUpgrade: websocket\r\n';

interface RawConnection {
  readonly socket: Socket;
  /** Everything the server sent, once it closed; with how long after opening. */
  readonly ended: Promise<{ text: string; afterMs: number }>;
}

function openRaw(port: number, localAddress: string, send: string): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    const opened = Date.now();
    const chunks: Buffer[] = [];
    const ended = new Promise<{ text: string; afterMs: number }>((done) => {
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('close', () => done({ text: Buffer.concat(chunks).toString('latin1'), afterMs: Date.now() - opened }));
    });
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write(send);
      resolve({ socket, ended });
    });
    socket.once('error', reject);
  });
}

describe('HTTP doors: request head timeout and pending connections per address', () => {
  let app: RunningApp;
  const opened: Socket[] = [];

  beforeAll(async () => {
    app = await startTestApp({
      AUTH_DEV_ACCEPT_ANY: 'true',
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_MAX_PENDING_PER_ADDRESS: String(MAX_PENDING),
    });
  });

  afterAll(async () => {
    for (const socket of opened) socket.destroy();
    await app?.close();
  });

  const open = async (localAddress: string, send = PARTIAL_UPGRADE) => {
    const connection = await openRaw(app.port, localAddress, send);
    opened.push(connection.socket);
    return connection;
  };

  it('answers a request head left unfinished with 408 and closes it within the bound', async () => {
    const { ended } = await open('127.0.0.1');
    const { text, afterMs } = await ended;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(afterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(afterMs).toBeLessThan(HEADERS_TIMEOUT_MS + 1_500);
  });

  it('refuses the N+1th pending connection from one address with 429, while another address still gets in', async () => {
    const holders = await Promise.all(Array.from({ length: MAX_PENDING }, () => open('127.0.0.1')));
    const excess = await open('127.0.0.1');
    const refused = await excess.ended;
    expect(refused.text).toMatch(/^HTTP\/1\.1 429 /);
    expect(refused.afterMs).toBeLessThan(HEADERS_TIMEOUT_MS);

    // Another client address: both a REST request and a WebSocket upgrade go through.
    const health = await open('127.0.0.2', 'GET /healthz HTTP/1.1\r\nHost: chat\r\nConnection: close\r\n\r\n');
    expect((await health.ended).text).toMatch(/^HTTP\/1\.1 200 /);
    const ws = new WebSocket(app.wsUrl, ['v12.stomp'], { localAddress: '127.0.0.2' });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.close();

    // The holders are still there (pending) until their own timeout ends them.
    for (const holder of holders) expect(holder.socket.destroyed).toBe(false);
    await Promise.all(holders.map((holder) => holder.ended));
    const after = await open('127.0.0.1', 'GET /healthz HTTP/1.1\r\nHost: chat\r\nConnection: close\r\n\r\n');
    expect((await after.ended).text).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('lets a completed request free its slot at once (a connection that sent its head is not pending)', async () => {
    // One after another: a burst of simultaneous connects is pending together until read.
    const done: Array<{ text: string }> = [];
    for (let i = 0; i < MAX_PENDING * 3; i++) {
      done.push(
        await (
          await open('127.0.0.1', 'GET /healthz HTTP/1.1\r\nHost: chat\r\nConnection: close\r\n\r\n')
        ).ended,
      );
    }
    for (const { text } of done) expect(text).toMatch(/^HTTP\/1\.1 200 /);
  });
});
