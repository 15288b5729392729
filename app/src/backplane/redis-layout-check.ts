import type { Redis } from 'ioredis';
import { RedisKeys } from './redis-keys.js';

/**
 * Cluster mode uses other key names than a single node (redis-keys.ts). Switching a deployment
 * whose single-node persist stream still holds entries would leave those messages unpersisted
 * for good, silently: so cluster mode refuses to start until that stream is drained.
 * (Counters need no check: a destination without one is raised above the message store's newest
 * sequence before its next message. Replay logs start empty; resumes older than the switch are
 * answered from the message store. See docs/deploy.md.)
 *
 * Resolves when there is nothing to lose, or when Redis cannot be asked within `timeoutMs` (the
 * service then starts as it would without the check: Redis being down is reported elsewhere).
 */
export async function checkClusterKeyLayout(commands: Redis, keyPrefix: string, timeoutMs: number): Promise<void> {
  const stream = new RedisKeys(keyPrefix).persistStream;
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  const length = await Promise.race([commands.xlen(stream).catch(() => undefined), gaveUp]).finally(() =>
    clearTimeout(timer),
  );
  if (length !== undefined && length > 0) throw new UnpersistedSingleNodeStream(stream, length);
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
