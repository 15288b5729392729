import type { IncomingMessage } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import { startTestApp, type RunningApp } from '../support/test-app.js';

// A gc() for this test only: the flag takes effect for contexts created after it is set.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Connects with STOMP, subscribes, and resolves with the open socket once the RECEIPT arrives. */
function subscribed(wsUrl: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, ['v12.stomp']);
    ws.on('error', reject);
    ws.on('open', () => ws.send('CONNECT\naccept-version:1.2\nlogin:idle\n\n\0'));
    ws.on('message', (data: Buffer) => {
      const frame = data.toString('utf8');
      if (frame.startsWith('CONNECTED\n')) ws.send('SUBSCRIBE\nid:sub-0\ndestination:/topic/idle\nreceipt:r\n\n\0');
      else if (frame.startsWith('RECEIPT\n')) resolve(ws);
      else reject(new Error(frame));
    });
  });
}

/**
 * Idle connections are most of a chat server's memory. What a connection needs only while it
 * is being set up (the HTTP upgrade request, with its headers and stream state: about 1 KiB)
 * must be garbage once the session runs, however long the socket stays open.
 */
describe('an idle STOMP connection', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startTestApp({ AUTH_DEV_ACCEPT_ANY: 'true', STOMP_CLIENT_TOPICS: '/topic/idle' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('keeps nothing of its upgrade request once subscribed', async () => {
    const requests: Array<WeakRef<IncomingMessage>> = [];
    const server = app.app.getHttpServer();
    const note = (request: IncomingMessage): void => void requests.push(new WeakRef(request));
    server.prependListener('upgrade', note);
    const sockets = await Promise.all([subscribed(app.wsUrl), subscribed(app.wsUrl)]);
    server.removeListener('upgrade', note);
    expect(requests).toHaveLength(2);
    // Collection of objects allocated before an await can wait for the task after it.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(requests.filter((request) => request.deref() !== undefined)).toHaveLength(0);
    expect(sockets.every((ws) => ws.readyState === WebSocket.OPEN)).toBe(true);
    for (const ws of sockets) ws.close();
  });
});
