/**
 * Who is online, across instances. Each instance records its own sessions and proves it is
 * alive with a heartbeat; an instance that stops beating (crashed, frozen, cut off) has its
 * sessions reaped by the others once its TTL runs out.
 *
 * The registry also keeps the one cluster-wide fact presence events need: whether a user has
 * been announced online. `add` and `sweep` flip that fact atomically and report the flip to
 * exactly one caller, which is the one that publishes the event, so every instance can run the
 * same code without a lock and no event is sent twice.
 */
export interface PresenceSession {
  readonly userId: string;
  readonly sessionId: string;
  readonly instanceId: string;
  /** Epoch milliseconds. */
  readonly connectedAt: number;
}

/** A session this instance is about to record. */
export interface NewPresenceSession {
  readonly userId: string;
  readonly username: string;
  readonly sessionId: string;
  readonly connectedAt: number;
}

/** What `add` found out. */
export type AddOutcome =
  /** The user's first session anywhere: announce them online. */
  | 'online'
  /** The user was already announced online (another session, or back within the grace period). */
  | 'already-online'
  /**
   * This instance is not alive in the registry (never beat, or declared dead and reaped): the
   * session was not recorded. Beat, then add every local session again.
   */
  | 'instance-unknown';

/** A user who just went offline; `username` is the one they were announced online with. */
export interface WentOffline {
  readonly userId: string;
  readonly username: string;
}

export interface PresenceRegistry {
  readonly instanceId: string;
  /**
   * Marks this instance alive for the TTL from now. Resolves false when it had not been
   * registered (first beat, or declared dead and reaped meanwhile): the caller must then add
   * its sessions again.
   */
  heartbeat(): Promise<boolean>;
  add(session: NewPresenceSession): Promise<AddOutcome>;
  /**
   * Forgets one of this instance's sessions. When the user has no live session left anywhere,
   * their grace period starts; `sweep` ends it.
   */
  remove(userId: string, sessionId: string): Promise<void>;
  /**
   * Reaps instances whose TTL ran out (their users start their grace period as of the dead
   * instance's last heartbeat) and ends grace periods that are over. Resolves with the users
   * that went offline: each one is reported to exactly one caller in the whole cluster.
   */
  sweep(): Promise<WentOffline[]>;
  /** The ones among `userIds` with at least one live session on any instance. */
  online(userIds: readonly string[]): Promise<Set<string>>;
  /** A user's live sessions on every instance, oldest first. */
  sessions(userId: string): Promise<PresenceSession[]>;
  /**
   * Graceful shutdown: forgets every session of this instance and the instance itself. Its
   * users start their grace period now; other instances announce them offline if they do not
   * come back (e.g. reconnect elsewhere) in time.
   */
  removeInstance(): Promise<void>;
  close(): Promise<void>;
}

/** Nest injection token for this instance's PresenceRegistry. */
export const PRESENCE_REGISTRY = Symbol('PresenceRegistry');
