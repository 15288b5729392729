import type { Log } from '../ops/log.port.js';
import type { SessionLifecycleListener } from '../realtime/session-registry.js';
import type { PresenceStatus } from './presence-event.js';
import type { NewPresenceSession, PresenceRegistry } from './presence-registry.port.js';

/** What presence needs of a STOMP session. */
export interface PresenceTrackedSession {
  readonly id: string;
  readonly userId: string | undefined;
  readonly username: string | undefined;
}

export interface PresenceTrackerOptions {
  readonly heartbeatIntervalMs: number;
  readonly sweepIntervalMs: number;
  /** Publishes a presence change to the user's rooms. */
  readonly announce: (user: { userId: string; username: string }, status: PresenceStatus) => Promise<void>;
  readonly log: Log;
  readonly now?: () => number;
}

/**
 * This instance's side of presence: follows its sessions (a SessionRegistry listener) into the
 * PresenceRegistry, beats for the instance, sweeps for expired instances and ended grace periods,
 * and announces whatever the registry says changed. The registry tells exactly one instance
 * about each change, so every instance runs the same loop without coordination.
 *
 * Registry calls that fail (Redis unreachable) are not lost: the next heartbeat adds every local
 * session again and retries removals, so the registry converges on what this instance holds.
 */
export class PresenceTracker {
  private readonly local = new Map<string, NewPresenceSession>();
  /** Removals that failed, retried on the next heartbeat: sessionId → userId. */
  private readonly unremoved = new Map<string, string>();
  private needsResync = false;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping = false;
  private beating: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;

  readonly listener: SessionLifecycleListener<PresenceTrackedSession> = {
    connected: (session) => this.connected(session),
    closed: (session) => this.closed(session),
  };

  constructor(
    private readonly registry: PresenceRegistry,
    private readonly options: PresenceTrackerOptions,
  ) {}

  /** Registers the instance (before any session can arrive), then beats and sweeps on timers. */
  async start(): Promise<void> {
    await this.beat();
    this.heartbeatTimer = setInterval(() => void this.beat(), this.options.heartbeatIntervalMs);
    this.sweepTimer = setInterval(() => void this.sweep(), this.options.sweepIntervalMs);
    // Presence must never keep a process alive that is otherwise done.
    this.heartbeatTimer.unref();
    this.sweepTimer.unref();
  }

  /** Graceful shutdown, after the sessions are closed: this instance's entries go now. */
  stop(): Promise<void> {
    this.stopping ??= this.removeInstance();
    return this.stopping;
  }

  /** One heartbeat: when the registry had lost this instance (or a call failed), add everything again. */
  beat(): Promise<void> {
    this.beating ??= this.beatOnce().finally(() => {
      this.beating = undefined;
    });
    return this.beating;
  }

  /** One sweep: announces the users the registry says went offline (skipped while one runs). */
  async sweep(): Promise<void> {
    if (this.sweeping || this.stopping !== undefined) return;
    this.sweeping = true;
    try {
      const offline = await this.registry.sweep();
      await Promise.all(offline.map((user) => this.announce(user, 'offline')));
    } catch (error) {
      this.options.log.warn({ err: error }, 'presence sweep failed');
    } finally {
      this.sweeping = false;
    }
  }

  private connected(session: PresenceTrackedSession): void {
    if (session.userId === undefined || this.stopping !== undefined) return;
    const tracked: NewPresenceSession = {
      userId: session.userId,
      username: session.username ?? session.userId,
      sessionId: session.id,
      connectedAt: (this.options.now ?? Date.now)(),
    };
    this.local.set(session.id, tracked);
    void this.add(tracked);
  }

  private closed(session: PresenceTrackedSession): void {
    const tracked = this.local.get(session.id);
    if (tracked === undefined) return;
    this.local.delete(session.id);
    if (this.stopping !== undefined) return; // removeInstance takes them all at once
    void this.remove(tracked.userId, tracked.sessionId);
  }

  private async add(session: NewPresenceSession): Promise<void> {
    try {
      const outcome = await this.registry.add(session);
      if (outcome === 'online') await this.announce(session, 'online');
      if (outcome === 'instance-unknown') {
        // Declared dead (a long pause, Redis lost for longer than the TTL): come back whole.
        // Not awaited: from inside a heartbeat's own resync that would wait for itself.
        this.needsResync = true;
        void this.beat();
      }
    } catch (error) {
      this.needsResync = true;
      this.options.log.warn(
        { err: error, userId: session.userId },
        'presence: recording a session failed; retrying on the next heartbeat',
      );
    }
  }

  private async remove(userId: string, sessionId: string): Promise<void> {
    try {
      await this.registry.remove(userId, sessionId);
      this.unremoved.delete(sessionId);
    } catch (error) {
      this.unremoved.set(sessionId, userId);
      this.options.log.warn(
        { err: error, userId },
        'presence: removing a session failed; retrying on the next heartbeat',
      );
    }
  }

  private async beatOnce(): Promise<void> {
    if (this.stopping !== undefined) return;
    try {
      const known = await this.registry.heartbeat();
      if (!known || this.needsResync) {
        this.needsResync = false;
        await Promise.all([...this.local.values()].map((session) => this.add(session)));
      }
      await Promise.all([...this.unremoved].map(([sessionId, userId]) => this.remove(userId, sessionId)));
    } catch (error) {
      this.needsResync = true;
      this.options.log.warn({ err: error }, 'presence heartbeat failed');
    }
  }

  private async announce(user: { userId: string; username: string }, status: PresenceStatus): Promise<void> {
    try {
      await this.options.announce(user, status);
    } catch (error) {
      this.options.log.warn({ err: error, userId: user.userId, status }, 'presence: announcing a change failed');
    }
  }

  private async removeInstance(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    clearInterval(this.sweepTimer);
    this.local.clear();
    await this.beating;
    await this.registry.removeInstance();
  }
}
