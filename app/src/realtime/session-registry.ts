/** The minimum the registry needs to know of a live session. */
export interface RegisteredSession {
  readonly id: string;
  readonly userId: string | undefined;
}

/** Told when a session gets its user (after CONNECT) and when it ends. Must not throw. */
export interface SessionLifecycleListener<S> {
  connected?(session: S): void;
  closed?(session: S): void;
}

/**
 * This instance's live sessions, and each user's among them: used for heart-beat checks,
 * per-user connection limits, closing a revoked user's sessions and draining on shutdown.
 */
export class SessionRegistry<S extends RegisteredSession = RegisteredSession> {
  private readonly sessions = new Set<S>();
  private readonly byUser = new Map<string, Set<S>>();
  private readonly listeners: Array<SessionLifecycleListener<S>> = [];

  /** Presence and similar features follow sessions through this. */
  addListener(listener: SessionLifecycleListener<S>): void {
    this.listeners.push(listener);
  }

  add(session: S): void {
    this.sessions.add(session);
  }

  /** Called once the session knows its user (after CONNECT). */
  bindUser(session: S, userId: string): void {
    let mine = this.byUser.get(userId);
    if (mine === undefined) {
      mine = new Set();
      this.byUser.set(userId, mine);
    }
    mine.add(session);
    for (const listener of this.listeners) listener.connected?.(session);
  }

  remove(session: S): void {
    this.sessions.delete(session);
    if (session.userId === undefined) return;
    const mine = this.byUser.get(session.userId);
    if (mine === undefined || !mine.delete(session)) return;
    if (mine.size === 0) this.byUser.delete(session.userId);
    for (const listener of this.listeners) listener.closed?.(session);
  }

  forUser(userId: string): readonly S[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  countForUser(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  all(): IterableIterator<S> {
    return this.sessions.values();
  }

  get size(): number {
    return this.sessions.size;
  }
}
