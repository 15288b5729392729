import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { sleep } from '../../bench/bounded.js';
import { freePort } from '../../bench/free-port.js';
import { BENCH_DESTINATION } from '../../bench/scenarios.js';
import { ServerInstance } from '../../bench/server-process.js';
import { clientUrl, WEBSTOMP_LOGIN } from '../../bench/systems.js';
import { DEFAULT_WEBSTOMP_URL, openWebStomp } from '../../bench/webstomp.js';
import { WorkerClient } from '../../bench/worker-client.js';
import type { ConnectArgs, WindowReport } from '../../bench/worker-protocol.js';
import { describeServiceUnavailable } from '../support/services.js';

/**
 * The peers of `npm run bench` must really carry the load workers' messages, or their CPU per
 * delivery would compare us with nothing. A tiny run per peer: two confirmed subscribers, one
 * publisher at 20 SEND/s for a second, through the real load worker (compiled, from dist/).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST_BENCH = join(ROOT, 'dist', 'bench');
const logDir = mkdtempSync(join(tmpdir(), 'bench-peers-test-'));
const servers: ServerInstance[] = [];
const workers: WorkerClient[] = [];
const TIMEOUT_MS = 5_000;

afterAll(async () => {
  await Promise.allSettled(workers.map((worker) => worker.request('closeAll', { timeoutMs: 2_000 }, 4_000)));
  await Promise.allSettled(workers.map((worker) => worker.stop()));
  await Promise.allSettled(servers.map((server) => server.stop(2_000)));
  rmSync(logDir, { recursive: true, force: true });
});

/** Subscribes 2, publishes 20 SEND/s from 1 for a second, and returns the worker's window. */
async function tinyRun(connect: Omit<ConnectArgs, 'firstIndex' | 'count'>): Promise<{
  report: WindowReport;
  unconfirmed: number;
  errors: readonly string[];
}> {
  const worker = await WorkerClient.start('peer-test', TIMEOUT_MS, join(DIST_BENCH, 'load-worker.js'));
  workers.push(worker);
  const subscribed = await worker.request(
    'connectSubscribers',
    { ...connect, firstIndex: 0, count: 2, destination: BENCH_DESTINATION, confirm: true },
    TIMEOUT_MS,
  );
  await worker.request('connectPublishers', { ...connect, firstIndex: 0, count: 1 }, TIMEOUT_MS);
  await worker.request('startWindow', {}, TIMEOUT_MS);
  await worker.request(
    'startPublishing',
    { ratePerSec: 20, destination: BENCH_DESTINATION, bodyBytes: 128, receipts: true, tickMs: 2 },
    TIMEOUT_MS,
  );
  await sleep(1_000);
  await worker.request('stopPublishing', {}, TIMEOUT_MS);
  // Let the last messages and receipts arrive before closing the window.
  await sleep(300);
  const report = await worker.request('endWindow', {}, TIMEOUT_MS);
  const errors = await worker.request('errors', {}, TIMEOUT_MS);
  return { report, unconfirmed: subscribed.unconfirmed, errors: errors.samples };
}

function expectDelivered(run: Awaited<ReturnType<typeof tinyRun>>): void {
  expect(run.errors).toEqual([]);
  expect(run.unconfirmed).toBe(0);
  expect(run.report.sent).toBeGreaterThanOrEqual(15);
  // Every SEND reaches both subscribers, with a readable timestamp and no gap.
  expect(run.report.delivered).toBe(run.report.sent * 2);
  expect(run.report.lost).toBe(0);
  expect(run.report.undecodable).toBe(0);
  expect(run.report.receipts).toBe(run.report.sent);
}

describe('bench Socket.IO peer server', () => {
  it('carries the load worker’s messages from publisher to every room member', async () => {
    const port = await freePort();
    const entry = join(DIST_BENCH, 'socketio-server.js');
    const server = await ServerInstance.start({
      build: { root: ROOT, entry, floorEntry: entry, drainEntry: entry },
      entry,
      port,
      env: { ...(process.env as Record<string, string>), PORT: String(port), HOST: '127.0.0.1', BACKPLANE: 'local' },
      logPath: join(logDir, `socketio-${port}.log`),
      nodeArgs: [],
      readyTimeoutMs: 10_000,
    });
    servers.push(server);
    const run = await tinyRun({
      urls: [clientUrl('socketio', port)],
      concurrency: 10,
      timeoutMs: TIMEOUT_MS,
      protocol: 'socketio',
    });
    expectDelivered(run);
  }, 20_000);
});

// Enables the plugin when it is off (the bench does the same); a broker that cannot is reported.
const webStomp = await openWebStomp(DEFAULT_WEBSTOMP_URL);
if (!webStomp.availability.available) {
  describeServiceUnavailable(
    'bench RabbitMQ Web-STOMP path',
    'RabbitMQ Web-STOMP',
    'RABBITMQ_URL',
    webStomp.availability.reason,
  );
} else {
  describe('bench RabbitMQ Web-STOMP path', () => {
    it('carries the STOMP load worker’s messages through the broker’s /topic/bench', async () => {
      const run = await tinyRun({
        urls: [webStomp.url],
        concurrency: 10,
        timeoutMs: TIMEOUT_MS,
        protocol: 'stomp',
        sharedLogin: WEBSTOMP_LOGIN,
      });
      expectDelivered(run);
    }, 20_000);
  });
}
