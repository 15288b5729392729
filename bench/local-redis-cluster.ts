import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/**
 * A Redis Cluster of redis-server processes on loopback ports free at run time, in a temp dir,
 * without persistence. Used by the cluster tests (test/support/own-redis-cluster.ts: 3 primaries,
 * 1 replica each) and by the shard benchmark (1 or 3 primaries, no replicas: it measures what the
 * primaries spend per message, and a replica's CPU would be replication, not the load's spread).
 */
export interface LocalRedisCluster {
  /** Every node's port: primaries first, then replicas (the order `redis-cli --cluster create` takes). */
  readonly ports: readonly number[];
  /** The primaries' ports, in slot order (the first owns slot 0). */
  readonly primaryPorts: readonly number[];
  /** Process ids by port, for reading each node's CPU from /proc. */
  readonly pids: ReadonlyMap<number, number>;
  /** host:port of every node: REDIS_CLUSTER_NODES. */
  readonly nodes: string;
  /** Stops every node (SIGKILL) and removes their directory. */
  dispose(): Promise<void>;
}

export interface LocalRedisClusterOptions {
  /** 1, or at least 3 (what `redis-cli --cluster create` accepts). */
  readonly primaries: number;
  /** Replicas per primary; a single primary takes none. */
  readonly replicasPerPrimary: number;
  /** cluster-node-timeout: how soon a silent primary is failed over. */
  readonly nodeTimeoutMs?: number;
  /** Prefix of the temp dir's name. */
  readonly name?: string;
}

const STATE_TIMEOUT_MS = 15_000;

export async function startLocalRedisCluster(options: LocalRedisClusterOptions): Promise<LocalRedisCluster> {
  const { primaries, replicasPerPrimary } = options;
  if (primaries === 2 || primaries < 1)
    throw new Error(`a local cluster has 1 or at least 3 primaries, not ${primaries}`);
  if (primaries === 1 && replicasPerPrimary > 0) throw new Error('a single-primary local cluster takes no replicas');
  const dir = mkdtempSync(join(tmpdir(), `${options.name ?? 'local-redis-cluster'}-`));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  const dispose = async () => {
    await Promise.all(children.map(stopChild));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < primaries * (1 + replicasPerPrimary); i++) {
      const port = await freePort();
      ports.push(port);
      children.push(
        spawn(
          'redis-server',
          [
            ...['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes'],
            // A node learns its own address from a peer's MEET; a lone primary has no peer to tell it.
            ...['--cluster-announce-ip', '127.0.0.1'],
            ...['--cluster-config-file', join(dir, `nodes-${port}.conf`)],
            ...['--cluster-node-timeout', String(options.nodeTimeoutMs ?? 2_000)],
            ...['--dir', dir, '--save', '', '--appendonly', 'no'],
          ],
          { stdio: 'ignore' },
        ),
      );
    }
    await Promise.all(ports.map((port) => untilAnswers(port)));
    if (primaries === 1) {
      // redis-cli refuses to create a cluster of fewer than 3 primaries; one node takes every slot itself.
      await run('redis-cli', ['-p', String(ports[0]), 'cluster', 'addslotsrange', '0', '16383']);
    } else {
      const addresses = ports.map((port) => `127.0.0.1:${port}`);
      await run(
        'redis-cli',
        ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicasPerPrimary), '--cluster-yes'],
        { timeout: STATE_TIMEOUT_MS },
      );
    }
    await untilClusterOk(ports, primaries * replicasPerPrimary);
  } catch (error) {
    await dispose();
    throw error;
  }
  return {
    ports,
    primaryPorts: ports.slice(0, primaries),
    pids: new Map(ports.map((port, i) => [port, children[i]!.pid!])),
    nodes: ports.map((port) => `127.0.0.1:${port}`).join(','),
    dispose,
  };
}

/** Resolves once a fresh redis-server on `port` answers PING. */
export async function untilAnswers(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`own redis-server on ${port} did not start: ${(error as Error).message}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      client.disconnect();
    }
  }
}

/** Every node says `cluster_state:ok` (slots assigned and gossiped) and every replica is in sync. */
async function untilClusterOk(ports: readonly number[], replicas: number): Promise<void> {
  const deadline = Date.now() + STATE_TIMEOUT_MS;
  for (;;) {
    const states = await Promise.all(
      ports.map(async (port) => (await run('redis-cli', ['-p', String(port), 'cluster', 'info'])).stdout),
    );
    const replication = await Promise.all(
      ports.map(async (port) => (await run('redis-cli', ['-p', String(port), 'info', 'replication'])).stdout),
    );
    // Replicas attached and synced too, so WAIT counts them from the first write.
    const synced = replication.filter((info) => info.includes('master_link_status:up')).length === replicas;
    if (states.every((info) => info.includes('cluster_state:ok')) && synced) return;
    if (Date.now() > deadline) throw new Error('local redis cluster did not reach cluster_state:ok');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
