import type {
  AddOutcome,
  NewPresenceSession,
  PresenceRegistry,
  PresenceSession,
  WentOffline,
} from './presence-registry.port.js';
import type { PresenceTiming } from './presence-timing.js';

/**
 * What the in-process registries of one process share: the same shape the Redis registry keeps
 * in Redis. The embedded default has one instance; the contract suite joins several to check
 * the in-process registry keeps the same promises as the Redis one.
 */
export class LocalPresenceState {
  /** instanceId → when it expires (epoch ms). */
  readonly instances = new Map<string, number>();
  /** userId → sessionKey(instanceId, sessionId) → session. */
  readonly users = new Map<string, Map<string, PresenceSession>>();
  /** instanceId → sessionId → userId. */
  readonly byInstance = new Map<string, Map<string, string>>();
  /** Users announced online, with the name they were announced with. */
  readonly announced = new Map<string, string>();
  /** userId → since when they have had no live session. */
  readonly leaving = new Map<string, number>();

  constructor(
    readonly timing: PresenceTiming,
    readonly now: () => number = Date.now,
  ) {}

  isAlive(instanceId: string, now: number): boolean {
    return (this.instances.get(instanceId) ?? -Infinity) > now;
  }

  liveSessions(userId: string, now: number): PresenceSession[] {
    return [...(this.users.get(userId)?.values() ?? [])].filter((session) => this.isAlive(session.instanceId, now));
  }

  /** Drops one session; starts the user's grace period (as of `since`) when none is live any more. */
  drop(instanceId: string, sessionId: string, userId: string, since: number, now: number): void {
    const mine = this.users.get(userId);
    mine?.delete(sessionKey(instanceId, sessionId));
    if (mine?.size === 0) this.users.delete(userId);
    this.byInstance.get(instanceId)?.delete(sessionId);
    if (this.liveSessions(userId, now).length === 0 && !this.leaving.has(userId)) this.leaving.set(userId, since);
  }
}

const sessionKey = (instanceId: string, sessionId: string) => `${instanceId}|${sessionId}`;

/** One instance's view of the in-process presence state. */
export class LocalPresenceRegistry implements PresenceRegistry {
  constructor(
    private readonly state: LocalPresenceState,
    readonly instanceId: string,
  ) {}

  heartbeat(): Promise<boolean> {
    const known = this.state.instances.has(this.instanceId);
    this.state.instances.set(this.instanceId, this.state.now() + this.state.timing.ttlMs);
    return Promise.resolve(known);
  }

  add(session: NewPresenceSession): Promise<AddOutcome> {
    const { state } = this;
    if (!state.isAlive(this.instanceId, state.now())) return Promise.resolve('instance-unknown');
    let mine = state.users.get(session.userId);
    if (mine === undefined) {
      mine = new Map();
      state.users.set(session.userId, mine);
    }
    const { userId, sessionId, connectedAt } = session;
    mine.set(sessionKey(this.instanceId, sessionId), { userId, sessionId, instanceId: this.instanceId, connectedAt });
    let sessions = state.byInstance.get(this.instanceId);
    if (sessions === undefined) {
      sessions = new Map();
      state.byInstance.set(this.instanceId, sessions);
    }
    sessions.set(sessionId, userId);
    state.leaving.delete(userId);
    if (state.announced.has(userId)) return Promise.resolve('already-online');
    state.announced.set(userId, session.username);
    return Promise.resolve('online');
  }

  remove(userId: string, sessionId: string): Promise<void> {
    const now = this.state.now();
    this.state.drop(this.instanceId, sessionId, userId, now, now);
    return Promise.resolve();
  }

  sweep(): Promise<WentOffline[]> {
    const { state } = this;
    const now = state.now();
    for (const [instanceId, expiresAt] of state.instances) {
      if (expiresAt > now) continue;
      state.instances.delete(instanceId);
      const lastHeartbeat = expiresAt - state.timing.ttlMs;
      for (const [sessionId, userId] of state.byInstance.get(instanceId) ?? []) {
        state.drop(instanceId, sessionId, userId, lastHeartbeat, now);
      }
      state.byInstance.delete(instanceId);
    }
    const offline: WentOffline[] = [];
    for (const [userId, since] of state.leaving) {
      if (since > now - state.timing.offlineGraceMs) continue;
      state.leaving.delete(userId);
      if (state.liveSessions(userId, now).length > 0) continue;
      const username = state.announced.get(userId);
      if (username === undefined) continue;
      state.announced.delete(userId);
      offline.push({ userId, username });
    }
    return Promise.resolve(offline);
  }

  online(userIds: readonly string[]): Promise<Set<string>> {
    const now = this.state.now();
    return Promise.resolve(new Set(userIds.filter((userId) => this.state.liveSessions(userId, now).length > 0)));
  }

  sessions(userId: string): Promise<PresenceSession[]> {
    const live = this.state.liveSessions(userId, this.state.now());
    return Promise.resolve(
      live.sort((a, b) => a.connectedAt - b.connectedAt || a.sessionId.localeCompare(b.sessionId)),
    );
  }

  removeInstance(): Promise<void> {
    const { state } = this;
    const now = state.now();
    // Gone first, so this instance's other sessions no longer count as live while dropping.
    state.instances.delete(this.instanceId);
    for (const [sessionId, userId] of state.byInstance.get(this.instanceId) ?? []) {
      state.drop(this.instanceId, sessionId, userId, now, now);
    }
    state.byInstance.delete(this.instanceId);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
