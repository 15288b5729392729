import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import WebSocket from 'ws';
import { CLIENT_COMMANDS } from '../../app/src/stomp/frame.js';
import { signUp } from '../support/rest-client.js';
import { connectStomp } from '../support/stomp-client.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

/**
 * A bounded wire fuzz over a real socket: hostile and half-valid STOMP bytes (random commands,
 * headers, escapes, NULs, content-lengths, heart-beat EOLs, split across WebSocket messages) from
 * many connections, bounded in count and time. The server must not crash and must still serve a
 * normal client afterwards.
 */
const CONNECTIONS = 60;
const FRAMES_PER_CONNECTION = 40;
const TIME_BUDGET_MS = 15_000;

// Every command a client may send, plus ones it may not and an empty line.
const commands = [...CLIENT_COMMANDS, 'MESSAGE', 'BOGUS', ''];
const headerNames = [
  'destination',
  'id',
  'receipt',
  'content-length',
  'accept-version',
  'heart-beat',
  'ack',
  'transaction',
  'x-sender',
  'login',
  'passcode',
  'x-since-seq',
  'a:b',
  'x\\c',
];
const token = fc.oneof(
  fc.constantFrom(
    '/topic/rooms.x',
    '/app/rooms.x',
    '/user/queue/x',
    '1.2',
    '0,0',
    '-1',
    '99999999999',
    '\\n',
    '\\q',
    '',
  ),
  fc.string({ maxLength: 20 }),
);
const frameBytes = fc
  .tuple(
    fc.constantFrom(...commands),
    fc.array(fc.tuple(fc.constantFrom(...headerNames), token), { maxLength: 6 }),
    fc.oneof(
      fc.string({ maxLength: 50 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
    ),
    fc.constantFrom('\0', '', '\0\n\n', '\0\0'),
  )
  .map(([command, headers, body, end]) =>
    Buffer.from(`${command}\n${headers.map(([n, v]) => `${n}:${v}`).join('\n')}\n\n${body}${end}`, 'latin1'),
  );
const raw = fc.oneof(
  { weight: 4, arbitrary: frameBytes },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) },
);

describe('Fault: bounded wire fuzz over a real socket', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startTestApp({ AUTH_DEV_ACCEPT_ANY: 'true', STOMP_CONNECT_TIMEOUT_MS: '2000' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('survives fuzzed frames from many connections and then serves a normal client', async () => {
    const deadline = Date.now() + TIME_BUDGET_MS;
    const samples = fc.sample(fc.array(raw, { minLength: 1, maxLength: FRAMES_PER_CONNECTION }), {
      numRuns: CONNECTIONS,
      seed: 20261203,
    });
    let sent = 0;
    for (let start = 0; start < samples.length && Date.now() < deadline; start += 10) {
      await Promise.all(
        samples.slice(start, start + 10).map(
          (frames, i) =>
            new Promise<void>((resolve) => {
              const ws = new WebSocket(app.wsUrl, ['v12.stomp']);
              const done = () => resolve();
              ws.on('error', done);
              ws.on('close', done);
              ws.on('open', () => {
                // Half the connections start properly, so the fuzz reaches the connected state too.
                if ((start + i) % 2 === 0) ws.send('CONNECT\naccept-version:1.2\nlogin:fuzz\n\n\0');
                for (const frame of frames) {
                  if (ws.readyState !== WebSocket.OPEN) break;
                  ws.send(frame, { binary: frame.length % 2 === 0 });
                  sent++;
                }
                setTimeout(() => ws.terminate(), 200);
              });
            }),
        ),
      );
    }
    expect(sent).toBeGreaterThan(100);

    const health = await fetch(`${app.httpUrl}/healthz`);
    expect(health.status).toBe(200);
    await signUp(app.httpUrl, 'fuzz_after');
    const client = await connectStomp(app.wsUrl, { login: 'after' });
    // A receipted SUBSCRIBE to the user's own queue: served under any destination policy.
    const receipted = await new Promise<boolean>((resolve) => {
      client.watchForReceipt('r1', () => resolve(true));
      client.subscribe('/user/queue/notifications', () => {}, { receipt: 'r1' });
      setTimeout(() => resolve(false), 5_000);
    });
    expect(receipted).toBe(true);
    await client.deactivate();
  }, 60_000);
});
