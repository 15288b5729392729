/**
 * Every Redis key of one presence partition. On a single node there is one partition, tagged
 * `{presence}`. In cluster mode users are hashed into REDIS_CLUSTER_PARTITIONS partitions, each
 * a complete copy of the layout below under its own tag (`<prefix>{<tag>}:presence:…`, the tags
 * of redis-cluster-slots.ts), so every script touches one slot and users spread over the shards.
 * Each instance heartbeats into every partition (RedisPresenceRegistry).
 *
 *   <prefix>{presence}:instances          ZSET instanceId → expiry (epoch ms, Redis clock)
 *   <prefix>{presence}:instance:<id>      SET "<sessionId>|<userId>": the instance's sessions, for reaping
 *   <prefix>{presence}:user:<userId>      HASH "<instanceId>|<sessionId>" → connectedAt (epoch ms)
 *   <prefix>{presence}:announced          HASH userId → username: announced online, not yet offline
 *   <prefix>{presence}:leaving            ZSET userId → since when they have had no live session
 *
 * Session ids and instance ids are UUIDs, so the first `|` splits a member; user ids may hold any
 * character (the development authenticator's `dev:<login>`), so they always come last.
 */
export class RedisPresenceKeys {
  /** What every presence key starts with; the scripts build user and instance keys from it. */
  readonly base: string;
  readonly instances: string;
  readonly announced: string;
  readonly leaving: string;

  /** @param tag cluster mode: the partition's hash tag; absent: the single-node `{presence}` layout. */
  constructor(prefix: string, tag?: string) {
    this.base = tag === undefined ? `${prefix}{presence}:` : `${prefix}{${tag}}:presence:`;
    this.instances = `${this.base}instances`;
    this.announced = `${this.base}announced`;
    this.leaving = `${this.base}leaving`;
  }

  user(userId: string): string {
    return `${this.base}user:${userId}`;
  }

  instance(instanceId: string): string {
    return `${this.base}instance:${instanceId}`;
  }
}
