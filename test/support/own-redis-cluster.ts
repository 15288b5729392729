import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { freePort, untilAnswers } from './own-redis-server.js';

const run = promisify(execFile);

/** A 3-primary, 3-replica Redis Cluster of the suite's own, on loopback ports free at run time. */
export interface OwnRedisCluster {
  /** Every node's port, in the order given to `redis-cli --cluster create` (primaries first). */
  readonly ports: readonly number[];
  /** host:port of every node: REDIS_CLUSTER_NODES. */
  readonly nodes: string;
  /** Runs a command on one node (not following redirects). */
  onNode<T>(port: number, work: (node: Redis) => Promise<T>): Promise<T>;
  /** Removes every key under a prefix, on every primary. */
  deleteKeys(prefix: string): Promise<void>;
  /** Stops every node and removes their directory. */
  dispose(): Promise<void>;
}

const NODES = 6;
const STATE_TIMEOUT_MS = 15_000;

export async function startOwnRedisCluster(): Promise<OwnRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'own-redis-cluster-'));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  const dispose = async () => {
    await Promise.all(children.map(stopChild));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < NODES; i++) {
      const port = await freePort();
      ports.push(port);
      children.push(
        spawn(
          'redis-server',
          [
            ...['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes'],
            ...['--cluster-config-file', join(dir, `nodes-${port}.conf`), '--cluster-node-timeout', '2000'],
            ...['--dir', dir, '--save', '', '--appendonly', 'no'],
          ],
          { stdio: 'ignore' },
        ),
      );
    }
    await Promise.all(ports.map((port) => untilAnswers(port)));
    const addresses = ports.map((port) => `127.0.0.1:${port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes'], {
      timeout: STATE_TIMEOUT_MS,
    });
    await untilClusterOk(ports);
  } catch (error) {
    await dispose();
    throw error;
  }
  const onNode = async <T>(port: number, work: (node: Redis) => Promise<T>): Promise<T> => {
    const node = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
    node.on('error', () => undefined);
    try {
      return await work(node);
    } finally {
      node.disconnect();
    }
  };
  return {
    ports,
    nodes: ports.map((port) => `127.0.0.1:${port}`).join(','),
    onNode,
    deleteKeys: async (prefix) => {
      const cluster = new Cluster([{ host: '127.0.0.1', port: ports[0]! }]);
      try {
        await Promise.all(
          cluster.nodes('master').map(async (node) => {
            let cursor = '0';
            do {
              const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
              // One key per UNLINK: the keys of one scan page sit in different slots.
              await Promise.all(keys.map((key) => node.unlink(key)));
              cursor = next;
            } while (cursor !== '0');
          }),
        );
      } finally {
        cluster.disconnect();
      }
    },
    dispose,
  };
}

/** Every node says `cluster_state:ok` (slots assigned and gossiped) and every replica is in sync. */
async function untilClusterOk(ports: readonly number[]): Promise<void> {
  const deadline = Date.now() + STATE_TIMEOUT_MS;
  for (;;) {
    const states = await Promise.all(
      ports.map(async (port) => (await run('redis-cli', ['-p', String(port), 'cluster', 'info'])).stdout),
    );
    const replication = await Promise.all(
      ports.map(async (port) => (await run('redis-cli', ['-p', String(port), 'info', 'replication'])).stdout),
    );
    // Replicas attached and synced too, so WAIT counts them from the first write.
    const synced = replication.filter((info) => info.includes('master_link_status:up')).length === ports.length / 2;
    if (states.every((info) => info.includes('cluster_state:ok')) && synced) return;
    if (Date.now() > deadline) throw new Error('own redis cluster did not reach cluster_state:ok');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
