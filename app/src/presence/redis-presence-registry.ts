import type { Redis } from 'ioredis';
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
  readonly instanceId: string;
  readonly timing: PresenceTiming;
  /** Connection problems, which have no caller to reject. */
  readonly onError?: (message: string, error?: unknown) => void;
}

/** Dead instances reaped, and grace periods ended, per sweep; the rest waits for the next one. */
const SWEEP_BATCH = 1_000;
/** User ids per `online` script call, so one call never holds Redis for long. */
const ONLINE_BATCH = 1_000;

/** The presence registry across instances, on Redis: each operation is one script (see redis-presence-scripts.ts). */
export class RedisPresenceRegistry implements PresenceRegistry {
  readonly instanceId: string;
  private readonly redis: Redis & PresenceCommands;
  private readonly keys: RedisPresenceKeys;
  private closed = false;

  constructor(private readonly options: RedisPresenceRegistryOptions) {
    this.instanceId = options.instanceId;
    this.redis = definePresenceCommands(options.connection);
    this.keys = new RedisPresenceKeys(options.keyPrefix);
    // ioredis emits 'error' on every failed reconnect attempt; without a listener Node would throw.
    this.redis.on('error', (error: Error) => options.onError?.(`redis presence connection: ${error.message}`));
  }

  async heartbeat(): Promise<boolean> {
    return (await this.redis.presenceHeartbeat(this.keys.instances, this.instanceId, this.options.timing.ttlMs)) === 1;
  }

  async add(session: NewPresenceSession): Promise<AddOutcome> {
    const { keys } = this;
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
    const { keys } = this;
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
    const { keys, options } = this;
    const flat = await this.redis.presenceSweep(
      keys.instances,
      keys.announced,
      keys.leaving,
      keys.base,
      options.timing.ttlMs,
      options.timing.offlineGraceMs,
      SWEEP_BATCH,
    );
    const offline: WentOffline[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) offline.push({ userId: flat[i]!, username: flat[i + 1]! });
    return offline;
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(userIds)];
    const batches: string[][] = [];
    for (let i = 0; i < unique.length; i += ONLINE_BATCH) batches.push(unique.slice(i, i + ONLINE_BATCH));
    const replies = await Promise.all(
      batches.map((batch) => this.redis.presenceOnline(this.keys.instances, this.keys.base, ...batch)),
    );
    return new Set(replies.flat());
  }

  async sessions(userId: string): Promise<PresenceSession[]> {
    const flat = await this.redis.presenceSessions(this.keys.instances, this.keys.user(userId));
    const sessions: PresenceSession[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      sessions.push({ userId, instanceId: flat[i]!, sessionId: flat[i + 1]!, connectedAt: Number(flat[i + 2]) });
    }
    return sessions.sort((a, b) => a.connectedAt - b.connectedAt || a.sessionId.localeCompare(b.sessionId));
  }

  async removeInstance(): Promise<void> {
    const { keys } = this;
    await this.redis.presenceRemoveInstance(
      keys.instances,
      keys.leaving,
      keys.instance(this.instanceId),
      keys.base,
      this.instanceId,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await closeConnection(this.redis);
  }
}
