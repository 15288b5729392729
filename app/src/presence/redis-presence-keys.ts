/**
 * Every Redis key presence uses. They all share the hash tag `{presence}`, so they live in one
 * slot and each presence script may touch any of them, on a cluster too. Presence is small (one
 * hash field per live session), so one slot is plenty; sharding it by user is the next step if
 * it ever is not.
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

  constructor(prefix: string) {
    this.base = `${prefix}{presence}:`;
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
