import type { Backplane, ControlEvent } from '../backplane/backplane.port.js';
import type { RevocationsConfig } from '../config/app-config.js';
import { AppError } from '../errors/app-error.js';
import type { RealtimeServer } from '../realtime/realtime-server.js';
import { isRoomDestination, ROOM_ID_HEADER } from '../rooms/room-destinations.js';
import { RevocationFeed, type RevocationSource } from './revocation-feed.js';
import type { Revocation } from '../revocations/revocation-log.js';

/** The cache this relay keeps honest on every instance. */
export interface MembershipInvalidator {
  invalidate(roomId: string, userId: string): void;
}

const REVOKED = 'revoked';
// Sent by instances of the previous release during a rolling deploy (no stored record).
const LEGACY_USER_REVOKED = 'user-revoked';
const LEGACY_MEMBER_REMOVED = 'member-removed';

/** How often a re-check after a reconnect tries the database before giving up and closing sessions. */
const RECHECK_ATTEMPTS = 3;
const RECHECK_RETRY_MS = 250;

/**
 * Carries revocations to every instance: a revoked user's sessions close wherever they are, and a
 * removed member loses the room's subscriptions (and the stale cached membership) everywhere.
 *
 * Fail closed (docs/adr/0002-durable-revocations.md): every revocation is stored with the change
 * that caused it before REST answers. This relay applies it here at once, sends it over the
 * backplane's control channel as the fast path, and every instance also polls the stored records
 * (RevocationFeed), so one lost control event or a Redis outage delays a revocation by at most a
 * poll interval, never loses it. After a backplane reconnect, delivery waits for a fresh poll;
 * when the database cannot be read then either, this instance closes its sessions.
 */
export class AccessRelay {
  readonly feed: RevocationFeed;

  constructor(
    private readonly backplane: Backplane,
    private readonly realtime: RealtimeServer,
    private readonly memberships: MembershipInvalidator,
    revocations: RevocationSource,
    config: RevocationsConfig,
  ) {
    this.feed = new RevocationFeed(revocations, config, {
      apply: (revocation) => this.apply(revocation),
      onError: (what, error) => this.realtime.log.error({ err: error }, `${what} failed`),
    });
    backplane.onControl((event) => this.onControl(event));
    backplane.beforeResume(() => this.recheck());
  }

  /** Starts polling; the first read happens at once so the instance starts in step. */
  start(): void {
    this.feed.start();
    void this.feed.poll().catch(() => undefined);
  }

  stop(): void {
    this.feed.stop();
  }

  /**
   * A stored revocation made on this instance: applied here now, and announced to the others
   * (best effort: they read it from the database anyway). Never throws.
   */
  async announce(revocation: Revocation): Promise<void> {
    this.feed.offer(revocation);
    try {
      await this.backplane.publishControl(toEvent(revocation));
      if (revocation.kind === 'member' && revocation.roomId !== null) {
        await this.realtime.users.notify(revocation.userId, 'notifications', {
          type: 'removed-from-room',
          roomId: revocation.roomId,
          reason: revocation.reason,
        });
      }
    } catch (error) {
      this.realtime.log.warn(
        { err: error, revocation: revocation.id },
        'announcing a revocation over the backplane failed; other instances apply it from the database',
      );
    }
  }

  /** Reads what this instance may have missed; on repeated failure, ends every local session. */
  async recheck(): Promise<void> {
    for (let attempt = 1; attempt <= RECHECK_ATTEMPTS; attempt++) {
      try {
        await this.feed.poll();
        return;
      } catch {
        if (attempt < RECHECK_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, RECHECK_RETRY_MS));
      }
    }
    const error = new AppError(
      'REVOCATION_UNAVAILABLE',
      'this server could not confirm your access after a backplane outage; reconnect',
    );
    for (const session of [...this.realtime.registry.all()]) session.terminate(error);
  }

  private onControl(event: ControlEvent): void {
    if (event.type === REVOKED) {
      const revocation = fromEvent(event);
      if (revocation !== undefined) this.feed.offer(revocation);
    } else if (event.type === LEGACY_USER_REVOKED && typeof event['userId'] === 'string') {
      this.closeSessions(event['userId'], String(event['reason'] ?? 'revoked'));
    } else if (
      event.type === LEGACY_MEMBER_REMOVED &&
      typeof event['roomId'] === 'string' &&
      typeof event['userId'] === 'string'
    ) {
      this.endRoomAccess(event['roomId'], event['userId'], String(event['reason'] ?? 'removed'));
    }
  }

  private apply(revocation: Revocation): void {
    if (revocation.kind === 'user') this.closeSessions(revocation.userId, revocation.reason);
    else if (revocation.roomId !== null) this.endRoomAccess(revocation.roomId, revocation.userId, revocation.reason);
  }

  private closeSessions(userId: string, reason: string): void {
    this.realtime.closeUserSessions(userId, new AppError('AUTH_REVOKED', `session revoked: ${reason}; log in again`));
  }

  private endRoomAccess(roomId: string, userId: string, reason: string): void {
    this.memberships.invalidate(roomId, userId);
    this.realtime.endUserSubscriptions(
      userId,
      (destination) => isRoomDestination(destination, roomId),
      new AppError('AUTH_FORBIDDEN', `no longer a member of room ${roomId} (${reason})`, { [ROOM_ID_HEADER]: roomId }),
    );
  }
}

function toEvent(revocation: Revocation): ControlEvent {
  return {
    type: REVOKED,
    id: revocation.id,
    kind: revocation.kind,
    userId: revocation.userId,
    roomId: revocation.roomId ?? '',
    reason: revocation.reason,
    createdAt: new Date(revocation.createdAt).getTime(),
  };
}

function fromEvent(event: ControlEvent): Revocation | undefined {
  const { id, kind, userId, roomId, reason, createdAt } = event;
  if (typeof id !== 'string' || typeof userId !== 'string' || typeof createdAt !== 'number') return undefined;
  if (kind !== 'user' && kind !== 'member') return undefined;
  if (kind === 'member' && (typeof roomId !== 'string' || roomId === '')) return undefined;
  return {
    id,
    kind,
    userId,
    roomId: kind === 'member' ? (roomId as string) : null,
    reason: typeof reason === 'string' ? reason : 'revoked',
    createdAt: new Date(createdAt),
  };
}
