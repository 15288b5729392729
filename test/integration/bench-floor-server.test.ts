import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { StompFrame } from '../../app/src/stomp/frame.js';
import { encodeFrame } from '../../app/src/stomp/serializer.js';
import { freePort } from '../../bench/free-port.js';
import { ServerInstance } from '../../bench/server-process.js';
import { BenchConnection } from '../../bench/stomp-connection.js';
import {
  deleteRedisKeys,
  describeRedisUnavailable,
  randomKeyPrefix,
  redisAvailable,
  redisUrl,
} from '../support/redis.js';
import { until, type Condition } from '../support/until.js';

/**
 * The benchmark's floor server (bench/floor-server.ts, run from dist/ as the bench runs it) must
 * really fan out, or its CPU figures would be a floor under nothing.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FLOOR_ENTRY = join(ROOT, 'dist', 'bench', 'floor-server.js');
const logDir = mkdtempSync(join(tmpdir(), 'floor-server-test-'));
const started: ServerInstance[] = [];
const connections: BenchConnection[] = [];

async function startFloor(env: Record<string, string>): Promise<ServerInstance> {
  const port = await freePort();
  const server = await ServerInstance.start({
    build: { root: ROOT, entry: FLOOR_ENTRY, floorEntry: FLOOR_ENTRY, drainEntry: FLOOR_ENTRY },
    entry: FLOOR_ENTRY,
    port,
    env: { ...(process.env as Record<string, string>), PORT: String(port), HOST: '127.0.0.1', ...env },
    logPath: join(logDir, `floor-${port}.log`),
    nodeArgs: [],
    readyTimeoutMs: 10_000,
  });
  started.push(server);
  return server;
}

async function connect(server: ServerInstance, received: Buffer[], receipts: string[] = []): Promise<BenchConnection> {
  const connection = await BenchConnection.open(
    server.wsUrl,
    'floor-test',
    {
      onMessage: (frame: StompFrame) => received.push(frame.body),
      onReceipt: (id) => receipts.push(id),
      onErrorFrame: () => undefined,
      onUnexpectedClose: () => undefined,
    },
    5_000,
  );
  connections.push(connection);
  return connection;
}

/** Subscribes with a receipt, so the subscription is in place once this resolves. */
function subscribe(connection: BenchConnection, receipts: string[]): Promise<void> {
  const id = `sub-${receipts.length}`;
  connection.send(
    encodeFrame('SUBSCRIBE', [
      ['id', id],
      ['destination', '/topic/bench'],
      ['receipt', id],
    ]),
  );
  return waitFor(() => receipts.includes(id));
}

/** This suite's waits are bounded at 5 s. */
const waitFor = (condition: Condition, timeoutMs = 5_000) => until(condition, timeoutMs);

async function openSubscriber(server: ServerInstance, received: Buffer[]): Promise<void> {
  const receipts: string[] = [];
  await subscribe(await connect(server, received, receipts), receipts);
}

const send = (connection: BenchConnection, body: string) =>
  connection.send(encodeFrame('SEND', [['destination', '/topic/bench']], body));

afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.close()));
  await Promise.all(started.map((server) => server.stop(2_000)));
  rmSync(logDir, { recursive: true, force: true });
});

describe('bench floor server, in-process', () => {
  it('writes every SEND body to every subscriber, and nothing to a connection that did not subscribe', async () => {
    const server = await startFloor({ BACKPLANE: 'local' });
    const first: Buffer[] = [];
    const second: Buffer[] = [];
    const bystander: Buffer[] = [];
    await openSubscriber(server, first);
    await openSubscriber(server, second);
    const publisher = await connect(server, bystander);
    send(publisher, 'one');
    send(publisher, 'two');
    await waitFor(() => first.length === 2 && second.length === 2);
    expect(first.map(String)).toEqual(['one', 'two']);
    expect(second.map(String)).toEqual(['one', 'two']);
    expect(bystander).toEqual([]);
  });
});

const availability = await redisAvailable();
if (!availability.ok) {
  describeRedisUnavailable('bench floor server over Redis', availability.reason);
} else {
  describe('bench floor server over Redis', () => {
    const keyPrefix = randomKeyPrefix();
    afterAll(() => deleteRedisKeys(keyPrefix));

    it('two instances deliver each other’s SENDs through one Redis channel', async () => {
      const env = { BACKPLANE: 'redis', REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: keyPrefix };
      const [left, right] = [await startFloor(env), await startFloor(env)];
      const onLeft: Buffer[] = [];
      const onRight: Buffer[] = [];
      await openSubscriber(left!, onLeft);
      await openSubscriber(right!, onRight);
      const publisher = await connect(left!, []);
      // The listener subscribes asynchronously after start; resend until it is through.
      await waitFor(() => {
        if (onRight.length === 0) send(publisher, 'probe');
        return onRight.length > 0;
      });
      send(publisher, 'across');
      await waitFor(() => onRight.some((body) => String(body) === 'across'));
      expect(onLeft.map(String)).toContain('across');
    });
  });
}
