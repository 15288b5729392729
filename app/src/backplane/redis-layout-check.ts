import type { Redis } from 'ioredis';
import { RedisKeys } from './redis-keys.js';
import { withinTime } from '../errors/within-time.js';

/**
 * Start-up checks of cluster mode's key layout (redis-keys.ts), run before the backplane takes
 * traffic. Each guards a change of key names that would otherwise lose data silently:
 *
 * - Switching a single-node deployment to cluster mode while its single-node persist stream
 *   still holds entries would leave those messages unpersisted for good: cluster mode refuses to
 *   start until that stream is drained. (Counters need no check: a destination without one is
 *   raised above the message store's newest sequence before its next message. Replay logs start
 *   empty; resumes older than the switch are answered from the message store. See docs/deploy.md.)
 * - Changing REDIS_CLUSTER_PARTITIONS moves every destination to other names, with the same
 *   consequences, and instances with different counts would sequence one room twice over. The
 *   first instance records its count in the cluster; one configured otherwise refuses to start.
 *
 * Each resolves when there is nothing to lose, or when Redis cannot be asked within `timeoutMs`
 * (the service then starts as it would without the check: Redis being down is reported elsewhere).
 */
export async function checkClusterKeyLayout(commands: Redis, keyPrefix: string, timeoutMs: number): Promise<void> {
  const stream = new RedisKeys(keyPrefix).persistStream;
  const length = await answerWithin(commands.xlen(stream), timeoutMs);
  if (length !== undefined && length > 0) throw new UnpersistedSingleNodeStream(stream, length);
}

/**
 * Records `partitions` as the cluster's partition count when none is recorded yet (SET NX, so
 * of instances starting together with different counts, one wins and the others refuse), and
 * refuses when another count is recorded.
 */
export async function checkPartitionCount(
  commands: Redis,
  keyPrefix: string,
  partitions: number,
  timeoutMs: number,
): Promise<void> {
  const key = new RedisKeys(keyPrefix, partitions).partitionCount;
  // SET … NX GET (Redis 7, which cluster mode needs anyway): the count recorded before, or null when this set it.
  const recorded = await answerWithin(commands.set(key, String(partitions), 'NX', 'GET'), timeoutMs);
  if (recorded === undefined || recorded === null) return;
  if (Number(recorded) !== partitions) throw new PartitionCountChanged(key, Number(recorded), partitions);
}

/** The reply, or undefined when it failed or did not come within `timeoutMs`. */
function answerWithin<T>(reply: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  return withinTime(reply, timeoutMs, () => new Error('no answer in time')).catch(() => undefined);
}

/** Thrown at start-up: the operator must drain the old stream before switching on cluster mode. */
export class UnpersistedSingleNodeStream extends Error {
  constructor(stream: string, length: number) {
    super(
      `REDIS_CLUSTER: ${length} messages in the single-node persist stream ${stream} are not persisted yet. ` +
        'Run the service with REDIS_CLUSTER unset until that stream is empty (persist backlog 0), then switch on ' +
        'cluster mode (docs/deploy.md, "Redis Cluster mode").',
    );
    this.name = 'UnpersistedSingleNodeStream';
  }
}

/** Thrown at start-up: REDIS_CLUSTER_PARTITIONS differs from the count the cluster's keys were written with. */
export class PartitionCountChanged extends Error {
  constructor(key: string, recorded: number, configured: number) {
    super(
      `REDIS_CLUSTER_PARTITIONS is ${configured}, but this cluster's keys were written with ${recorded} partitions ` +
        `(recorded in ${key}). Set REDIS_CLUSTER_PARTITIONS=${recorded} again. To change the count: keep every ` +
        `instance on ${recorded} until the persist backlog is 0, stop them all, delete ${key}, then start them ` +
        `with the new count (docs/deploy.md, "Redis Cluster mode").`,
    );
    this.name = 'PartitionCountChanged';
  }
}
