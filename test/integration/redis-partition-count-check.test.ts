import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import { RedisKeys } from '../../app/src/backplane/redis-keys.js';
import { checkPartitionCount, PartitionCountChanged } from '../../app/src/backplane/redis-layout-check.js';
import { closeConnection, createCommandConnection } from '../../app/src/redis/redis-connection.js';
import { clusterRedis } from '../contract/redis-worlds.js';
import { startOwnRedisCluster } from '../support/own-redis-cluster.js';
import { randomKeyPrefix } from '../support/redis.js';
import { COMPILED_MAIN } from '../support/server-process.js';
import { startTestApp } from '../support/test-app.js';

const run = promisify(execFile);

// REDIS_CLUSTER_PARTITIONS decides every destination's key names: a changed count must not start.
const cluster = await startOwnRedisCluster();
const target = clusterRedis(cluster);
afterAll(() => cluster.dispose());

describe('Start-up check of the partition count, on a Redis Cluster', () => {
  it('records the count at first start, passes with the same one and refuses another, saying what to do', async () => {
    const keyPrefix = randomKeyPrefix();
    const commands = createCommandConnection(target.config(keyPrefix), 'partition-check-test');
    try {
      await expect(checkPartitionCount(commands, keyPrefix, 16, 2_000)).resolves.toBeUndefined();
      const key = new RedisKeys(keyPrefix, 16).partitionCount;
      expect(await commands.get(key)).toBe('16');
      await expect(checkPartitionCount(commands, keyPrefix, 16, 2_000)).resolves.toBeUndefined();

      const refusal = checkPartitionCount(commands, keyPrefix, 32, 2_000);
      await expect(refusal).rejects.toBeInstanceOf(PartitionCountChanged);
      await expect(refusal).rejects.toThrow(
        `REDIS_CLUSTER_PARTITIONS is 32, but this cluster's keys were written with 16 partitions (recorded in ${key})`,
      );
      await expect(refusal).rejects.toThrow('Set REDIS_CLUSTER_PARTITIONS=16 again');
      await expect(refusal).rejects.toThrow(`until the persist backlog is 0, stop them all, delete ${key}`);
      expect(await commands.get(key)).toBe('16');
    } finally {
      await closeConnection(commands);
      await target.deleteKeys(keyPrefix);
    }
  });

  it('gives up quietly when Redis does not answer in time (Redis being down is reported elsewhere)', async () => {
    const silent = { set: () => new Promise<string | null>(() => undefined) } as unknown as Parameters<
      typeof checkPartitionCount
    >[0];
    await expect(checkPartitionCount(silent, 'chat:', 16, 50)).resolves.toBeUndefined();
  });

  it('keeps the service from starting with another count than the cluster was started with', async () => {
    const keyPrefix = randomKeyPrefix();
    const dataDir = mkdtempSync(join(tmpdir(), 'partition-check-'));
    const env = (partitions: number) => ({
      BACKPLANE: 'redis',
      REDIS_URL: `redis://${cluster.nodes.split(',')[0]!}`,
      REDIS_CLUSTER_NODES: cluster.nodes,
      REDIS_KEY_PREFIX: keyPrefix,
      REDIS_CLUSTER_PARTITIONS: String(partitions),
      DATA_DIR: dataDir,
    });
    try {
      const first = await startTestApp(env(16));
      await first.close();
      // Nest ends the process when a module factory throws: run the compiled service on its own.
      const refused = await run(process.execPath, [COMPILED_MAIN], {
        env: { PATH: process.env['PATH'], NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0', ...env(8) },
        timeout: 30_000,
      }).then(
        () => ({ code: 0, output: '' }),
        (error: { code?: number; stdout?: string; stderr?: string }) => ({
          code: error.code,
          output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
        }),
      );
      expect(refused.code).toBe(1);
      expect(refused.output).toContain(
        "REDIS_CLUSTER_PARTITIONS is 8, but this cluster's keys were written with 16 partitions",
      );
      const again = await startTestApp(env(16));
      await again.close();
    } finally {
      await target.deleteKeys(keyPrefix);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
