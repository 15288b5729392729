import type { Redis } from 'ioredis';
import { balancedPartitionTags, partitionOf } from '../redis/redis-cluster-slots.js';
import { closeConnection } from '../redis/redis-connection.js';
import type {
  AddOutcome,
  NewPresenceSession,
  PresenceRegistry,
  PresenceSession,
  WentOffline,
} from './presence-registry.port.js';
import type { PresenceTiming } from './presence-timing.js';
import { RedisPresenceKeys } from './redis-presence-keys.js';
import { definePresenceCommands, type PresenceCommands } from './redis-presence-scripts.js';

export interface RedisPresenceRegistryOptions {
  /** A command connection (createCommandConnection); the registry closes it. */
  readonly connection: Redis;
  readonly keyPrefix: string;
  /** Cluster mode's partition count (RedisClusterConfig.partitions); absent on a single node. */
  readonly partitions?: number;
  readonly instanceId: string;
  readonly timing: PresenceTiming;
  /** Connection problems, which have no caller to reject. */
  readonly onError?: (message: string, error?: unknown) => void;
}

/** Dead instances reaped, and grace periods ended, per sweep; the rest waits for the next one. */
const SWEEP_BATCH = 1_000;
/** User ids per `online` script call, so one call never holds Redis for long. */
const ONLINE_BATCH = 1_000;

/**
 * The presence registry across instances, on Redis: each operation is one script (see
 * redis-presence-scripts.ts) on the user's partition (redis-presence-keys.ts); what concerns the
 * instance (heartbeat, sweep, removal) runs on every partition.
 */
export class RedisPresenceRegistry implements PresenceRegistry {
  readonly instanceId: string;
  private readonly redis: Redis & PresenceCommands;
  /** One per partition (one on a single node). */
  private readonly partitions: RedisPresenceKeys[];
  private closed = false;

  constructor(private readonly options: RedisPresenceRegistryOptions) {
    this.instanceId = options.instanceId;
    this.redis = definePresenceCommands(options.connection);
    this.partitions =
      options.partitions === undefined
        ? [new RedisPresenceKeys(options.keyPrefix)]
        : balancedPartitionTags(options.partitions).map((tag) => new RedisPresenceKeys(options.keyPrefix, tag));
    // ioredis emits 'error' on every failed reconnect attempt; without a listener Node would throw.
    this.redis.on('error', (error: Error) => options.onError?.(`redis presence connection: ${error.message}`));
  }

  async heartbeat(): Promise<boolean> {
    const known = await this.everyPartition((keys) =>
      this.redis.presenceHeartbeat(keys.instances, this.instanceId, this.options.timing.ttlMs),
    );
    // Unknown to any partition (expired there): the tracker adds its sessions again.
    return known.every((reply) => reply === 1);
  }

  async add(session: NewPresenceSession): Promise<AddOutcome> {
    const keys = this.keysOf(session.userId);
    const outcome = await this.redis.presenceAdd(
      keys.instances,
      keys.announced,
      keys.leaving,
      keys.user(session.userId),
      keys.instance(this.instanceId),
      this.instanceId,
      session.sessionId,
      session.userId,
      session.username,
      session.connectedAt,
    );
    if (outcome !== 'online' && outcome !== 'already-online' && outcome !== 'instance-unknown') {
      throw new Error(`presence add: unexpected reply ${outcome}`);
    }
    return outcome;
  }

  async remove(userId: string, sessionId: string): Promise<void> {
    const keys = this.keysOf(userId);
    await this.redis.presenceRemove(
      keys.instances,
      keys.leaving,
      keys.user(userId),
      keys.instance(this.instanceId),
      this.instanceId,
      sessionId,
      userId,
    );
  }

  async sweep(): Promise<WentOffline[]> {
    const { options } = this;
    const replies = await this.everyPartition((keys) =>
      this.redis.presenceSweep(
        keys.instances,
        keys.announced,
        keys.leaving,
        keys.base,
        options.timing.ttlMs,
        options.timing.offlineGraceMs,
        SWEEP_BATCH,
      ),
    );
    const flat = replies.flat();
    const offline: WentOffline[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) offline.push({ userId: flat[i]!, username: flat[i + 1]! });
    return offline;
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    const byPartition = new Map<RedisPresenceKeys, string[]>();
    for (const userId of new Set(userIds)) {
      const keys = this.keysOf(userId);
      const users = byPartition.get(keys);
      if (users === undefined) byPartition.set(keys, [userId]);
      else users.push(userId);
    }
    const batches: Array<[RedisPresenceKeys, string[]]> = [];
    for (const [keys, users] of byPartition) {
      for (let i = 0; i < users.length; i += ONLINE_BATCH) batches.push([keys, users.slice(i, i + ONLINE_BATCH)]);
    }
    const replies = await Promise.all(
      batches.map(([keys, batch]) => this.redis.presenceOnline(keys.instances, keys.base, ...batch)),
    );
    return new Set(replies.flat());
  }

  async sessions(userId: string): Promise<PresenceSession[]> {
    const keys = this.keysOf(userId);
    const flat = await this.redis.presenceSessions(keys.instances, keys.user(userId));
    const sessions: PresenceSession[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      sessions.push({ userId, instanceId: flat[i]!, sessionId: flat[i + 1]!, connectedAt: Number(flat[i + 2]) });
    }
    return sessions.sort((a, b) => a.connectedAt - b.connectedAt || a.sessionId.localeCompare(b.sessionId));
  }

  async removeInstance(): Promise<void> {
    await this.everyPartition((keys) =>
      this.redis.presenceRemoveInstance(
        keys.instances,
        keys.leaving,
        keys.instance(this.instanceId),
        keys.base,
        this.instanceId,
      ),
    );
  }

  private keysOf(userId: string): RedisPresenceKeys {
    return this.partitions[partitionOf(userId, this.partitions.length)]!;
  }

  private everyPartition<T>(work: (keys: RedisPresenceKeys) => Promise<T>): Promise<T[]> {
    return Promise.all(this.partitions.map(work));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await closeConnection(this.redis);
  }
}
