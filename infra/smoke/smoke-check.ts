/**
 * Post-deploy smoke check of one stage, run by the pipeline after staging deployed:
 *
 * 1. `GET /readyz` answers 200 (every dependency reachable, not draining);
 * 2. a throw-away account is registered and logged in (a real JWT from the real service);
 * 3. a STOMP 1.2 client (@stomp/stompjs over `ws`) connects with that token and gets CONNECTED;
 * 4. the refresh token is revoked again (logout), so the run leaves no live session behind.
 *
 * No secret is needed: the account is new on every run, with a random password that never
 * leaves the process.
 */
import { randomBytes } from 'node:crypto';
import { Client, type IFrame } from '@stomp/stompjs';
import WebSocket from 'ws';

export interface SmokeCheckOptions {
  /** The stage's `WebSocketUrl` output, e.g. `wss://chat.example.com/ws`. */
  readonly wsUrl: string;
  /** Bound for each step, ms. @default 15000 */
  readonly stepTimeoutMs?: number;
  /** Progress lines. @default - silent */
  readonly log?: (line: string) => void;
}

/** Thrown with the step that failed and why; the CLI prints `message` and exits 1. */
export class SmokeCheckFailure extends Error {
  constructor(
    readonly step: string,
    detail: string,
  ) {
    super(`smoke check failed at ${step}: ${detail}`);
  }
}

/** `ws(s)://host[:port]/path` → `http(s)://host[:port]`, where the REST API and /readyz live. */
export function httpBaseOf(wsUrl: string): string {
  let url: URL;
  try {
    url = new URL(wsUrl);
  } catch {
    throw new SmokeCheckFailure('configuration', `'${wsUrl}' is not a URL (expected ws://host/ws or wss://host/ws)`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new SmokeCheckFailure('configuration', `'${wsUrl}' is not a ws:// or wss:// URL`);
  }
  return `${url.protocol === 'wss:' ? 'https' : 'http'}://${url.host}`;
}

export async function runSmokeCheck(options: SmokeCheckOptions): Promise<void> {
  const timeoutMs = options.stepTimeoutMs ?? 15_000;
  const log = options.log ?? (() => {});
  const base = httpBaseOf(options.wsUrl);

  const ready = await request('readyz', `${base}/readyz`, { method: 'GET' }, timeoutMs);
  expectStatus('readyz', ready, 200);
  log(`readyz: 200 from ${base}`);

  const username = `smoke-${randomBytes(6).toString('hex')}`;
  const password = randomBytes(24).toString('base64url');
  const credentials = JSON.stringify({ username, password });
  const json = { 'content-type': 'application/json' };
  expectStatus(
    'register',
    await request('register', `${base}/auth/register`, { method: 'POST', headers: json, body: credentials }, timeoutMs),
    201,
  );
  const login = await request(
    'login',
    `${base}/auth/login`,
    { method: 'POST', headers: json, body: credentials },
    timeoutMs,
  );
  expectStatus('login', login, 200);
  const tokens = JSON.parse(login.body) as { accessToken?: unknown; refreshToken?: unknown };
  if (typeof tokens.accessToken !== 'string' || typeof tokens.refreshToken !== 'string') {
    throw new SmokeCheckFailure('login', 'the answer has no accessToken/refreshToken');
  }
  log(`login: token for ${username}`);

  const version = await stompConnect(options.wsUrl, tokens.accessToken, timeoutMs);
  log(`stomp: CONNECTED (version ${version}) at ${options.wsUrl}`);

  expectStatus(
    'logout',
    await request(
      'logout',
      `${base}/auth/logout`,
      { method: 'POST', headers: json, body: JSON.stringify({ refreshToken: tokens.refreshToken }) },
      timeoutMs,
    ),
    204,
  );
  log('logout: session revoked');
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

async function request(step: string, url: string, init: RequestInit, timeoutMs: number): Promise<Answer> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : error;
    throw new SmokeCheckFailure(step, `${init.method ?? 'GET'} ${url}: ${String(cause)}`);
  }
}

function expectStatus(step: string, answer: Answer, expected: number): void {
  if (answer.status !== expected) {
    throw new SmokeCheckFailure(step, `HTTP ${answer.status} (expected ${expected}): ${answer.body.slice(0, 300)}`);
  }
}

/** Resolves with the negotiated STOMP version once CONNECTED arrives; the client is closed again. */
function stompConnect(wsUrl: string, token: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (detail: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void client.deactivate();
      reject(new SmokeCheckFailure('stomp connect', detail));
    };
    const client = new Client({
      webSocketFactory: () => new WebSocket(wsUrl, ['v12.stomp']),
      connectHeaders: { Authorization: `Bearer ${token}` },
      reconnectDelay: 0,
      heartbeatIncoming: 0,
      heartbeatOutgoing: 0,
      onConnect: (frame: IFrame) => {
        if (settled) return;
        // Closing the socket below must not count as a failure.
        settled = true;
        clearTimeout(timer);
        void client.deactivate().then(() => resolve(frame.headers['version'] ?? 'unknown'));
      },
      onStompError: (frame: IFrame) => fail(`ERROR frame: ${frame.headers['message'] ?? frame.body}`),
      onWebSocketError: () => fail(`the WebSocket to ${wsUrl} failed`),
      onWebSocketClose: (event: { code: number }) => fail(`the WebSocket closed with ${event.code} before CONNECTED`),
    });
    const timer = setTimeout(() => fail(`no CONNECTED within ${timeoutMs} ms`), timeoutMs);
    client.activate();
  });
}
