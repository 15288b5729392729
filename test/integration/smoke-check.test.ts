import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SmokeCheckFailure, httpBaseOf, runSmokeCheck } from '../../infra/smoke/smoke-check.js';
import { REPO_ROOT } from '../infra/support/build-stage.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

let server: RunningApp;

beforeAll(async () => {
  server = await startTestApp();
});

afterAll(async () => {
  await server.close();
});

/** A loopback port nobody listens on (bound and released again). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Runs the compiled CLI the pipeline runs (`npm test` builds dist/ first). */
function runCli(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/infra/smoke/main.js')], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('post-deploy smoke check', () => {
  it('passes against the real service: readyz, a real token, STOMP CONNECTED', async () => {
    const lines: string[] = [];
    await runSmokeCheck({ wsUrl: server.wsUrl, log: (l) => lines.push(l) });
    expect(lines[0]).toBe(`readyz: 200 from ${server.httpUrl}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^login: token for smoke-[0-9a-f]{12}$/),
        `stomp: CONNECTED (version 1.2) at ${server.wsUrl}`,
        'logout: session revoked',
      ]),
    );
  });

  it('fails at the STOMP step when the WebSocket endpoint does not answer', async () => {
    const wrongPath = server.wsUrl.replace(/\/ws$/, '/not-the-endpoint');
    await expect(runSmokeCheck({ wsUrl: wrongPath, stepTimeoutMs: 5_000 })).rejects.toThrow(
      /^smoke check failed at stomp connect: /,
    );
  });

  it('fails at readyz when nothing listens', async () => {
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}/ws`;
    const failure = runSmokeCheck({ wsUrl: url, stepTimeoutMs: 5_000 });
    await expect(failure).rejects.toBeInstanceOf(SmokeCheckFailure);
    await expect(failure).rejects.toThrow(/^smoke check failed at readyz: GET http:\/\/127\.0\.0\.1:\d+\/readyz: /);
  });

  it('refuses a URL that is not ws:// or wss://', () => {
    expect(httpBaseOf('wss://chat.example.com/ws')).toBe('https://chat.example.com');
    expect(() => httpBaseOf('https://chat.example.com/ws')).toThrow(
      "smoke check failed at configuration: 'https://chat.example.com/ws' is not a ws:// or wss:// URL",
    );
  });

  it('runs as the CLI the pipeline calls: exit 0 on success, 1 with the reason otherwise', async () => {
    const ok = await runCli({ CHAT_WS_URL: server.wsUrl });
    expect(ok.out).toContain('smoke check passed');
    expect(ok.code).toBe(0);
    const missing = await runCli({});
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('CHAT_WS_URL is not set');
  });
});
