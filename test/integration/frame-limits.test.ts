import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import { startTestApp, type RunningApp } from '../support/test-app.js';

/**
 * Every frame limit, over a real socket: the client first gets an ERROR frame with a stable
 * `code`, then the close (never a bare close). The WebSocket message over the ws layer's
 * maxPayload (4 × STOMP_MAX_FRAME_BYTES) is the case `ws` itself would otherwise end silently.
 */
const MAX_FRAME = 1_024;

interface SessionEnd {
  readonly frames: string[];
  readonly closeCode: number;
}

/** Connects, waits for CONNECTED, sends `payload` (one message, or several) and collects until the close. */
function sendAfterConnect(wsUrl: string, payloads: Array<string | Buffer>): Promise<SessionEnd> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, ['v12.stomp']);
    const frames: string[] = [];
    const timer = setTimeout(() => reject(new Error(`no close; frames: ${frames.join(' | ')}`)), 10_000);
    ws.on('error', () => undefined);
    ws.on('open', () => ws.send('CONNECT\naccept-version:1.2\nlogin:limits\n\n\0'));
    ws.on('message', (data: Buffer) => {
      frames.push(data.toString('utf8'));
      if (frames.length === 1) for (const payload of payloads) ws.send(payload);
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve({ frames, closeCode: code });
    });
  });
}

function errorCode(end: SessionEnd): string | undefined {
  expect(end.frames[0]).toMatch(/^CONNECTED\n/);
  const error = end.frames.slice(1).find((frame) => frame.startsWith('ERROR\n'));
  return /\ncode:([^\n]*)\n/.exec(error ?? '')?.[1];
}

describe('STOMP frame limits over a real socket: ERROR before the close', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startTestApp({
      AUTH_DEV_ACCEPT_ANY: 'true',
      STOMP_MAX_FRAME_BYTES: String(MAX_FRAME),
      STOMP_MAX_BODY_BYTES: '512',
      STOMP_MAX_HEADERS: '8',
      STOMP_MAX_HEADER_LINE_BYTES: '256',
      STOMP_FRAME_COMPLETION_TIMEOUT_MS: '300',
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers a WebSocket message over maxPayload with ERROR STOMP_FRAME_TOO_LARGE, then close 1009', async () => {
    const end = await sendAfterConnect(app.wsUrl, [Buffer.alloc(MAX_FRAME * 4 + 1, 0x61)]);
    expect(errorCode(end)).toBe('STOMP_FRAME_TOO_LARGE');
    expect(end.closeCode).toBe(1009);
  });

  it('answers a huge message (megabytes) the same way, without waiting for its bytes', async () => {
    const end = await sendAfterConnect(app.wsUrl, [Buffer.alloc(8 * 1024 * 1024, 0x61)]);
    expect(errorCode(end)).toBe('STOMP_FRAME_TOO_LARGE');
    expect(end.closeCode).toBe(1009);
  });

  it('answers a frame over STOMP_MAX_FRAME_BYTES inside one allowed message with STOMP_FRAME_TOO_LARGE, 1009', async () => {
    const headers = Array.from({ length: 6 }, (_, i) => `x-h${i}:${'v'.repeat(200)}`).join('\n');
    const end = await sendAfterConnect(app.wsUrl, [`SEND\ndestination:/topic/x\n${headers}\n\n${'b'.repeat(100)}\0`]);
    expect(errorCode(end)).toBe('STOMP_FRAME_TOO_LARGE');
    expect(end.closeCode).toBe(1009);
  });

  it('answers a body over STOMP_MAX_BODY_BYTES with STOMP_BODY_TOO_LARGE, 1009', async () => {
    const end = await sendAfterConnect(app.wsUrl, [`SEND\ndestination:/topic/x\n\n${'b'.repeat(600)}\0`]);
    expect(errorCode(end)).toBe('STOMP_BODY_TOO_LARGE');
    expect(end.closeCode).toBe(1009);
  });

  it('answers too many headers with STOMP_TOO_MANY_HEADERS, 1002', async () => {
    const headers = Array.from({ length: 9 }, (_, i) => `x-h${i}:v`).join('\n');
    const end = await sendAfterConnect(app.wsUrl, [`SEND\ndestination:/topic/x\n${headers}\n\nb\0`]);
    expect(errorCode(end)).toBe('STOMP_TOO_MANY_HEADERS');
    expect(end.closeCode).toBe(1002);
  });

  it('answers a header line over STOMP_MAX_HEADER_LINE_BYTES with STOMP_HEADER_TOO_LONG, 1002', async () => {
    const end = await sendAfterConnect(app.wsUrl, [`SEND\ndestination:/topic/x\nx-long:${'v'.repeat(300)}\n\nb\0`]);
    expect(errorCode(end)).toBe('STOMP_HEADER_TOO_LONG');
    expect(end.closeCode).toBe(1002);
  });

  it('answers a frame left unfinished with LIMIT_FRAME_TIMEOUT, 1008', async () => {
    const started = Date.now();
    const end = await sendAfterConnect(app.wsUrl, ['SEND\ndestination:/topic/x\n\nhalf a bo']);
    expect(errorCode(end)).toBe('LIMIT_FRAME_TIMEOUT');
    expect(end.closeCode).toBe(1008);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
