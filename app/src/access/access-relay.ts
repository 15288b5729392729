import type { Backplane, ControlEvent } from '../backplane/backplane.port.js';
import { AppError } from '../errors/app-error.js';
import type { RealtimeServer } from '../realtime/realtime-server.js';

/** The cache this relay keeps honest on every instance. */
export interface MembershipInvalidator {
  invalidate(roomId: string, userId: string): void;
}

const USER_REVOKED = 'user-revoked';
const MEMBER_REMOVED = 'member-removed';

/** Whether a destination belongs to a room: its topic or any sub-topic (typing, presence). */
export function isRoomDestination(destination: string, roomId: string): boolean {
  const topic = `/topic/rooms.${roomId}`;
  return destination === topic || destination.startsWith(`${topic}.`);
}

/**
 * Carries access changes to every instance over the backplane's control channel: a revoked
 * user's sessions close wherever they are, and a removed member loses the room's
 * subscriptions (and the stale cached membership) everywhere, not just where the change was
 * made. The instance that made the change also tells the user on /user/queue/notifications.
 */
export class AccessRelay {
  constructor(
    private readonly backplane: Backplane,
    private readonly realtime: RealtimeServer,
    private readonly memberships: MembershipInvalidator,
  ) {
    backplane.onControl((event) => this.apply(event));
  }

  async userRevoked(userId: string, reason: string): Promise<void> {
    await this.backplane.publishControl({ type: USER_REVOKED, userId, reason });
  }

  async memberRemoved(roomId: string, userId: string, reason: string): Promise<void> {
    await this.backplane.publishControl({ type: MEMBER_REMOVED, roomId, userId, reason });
    await this.realtime.users.notify(userId, 'notifications', { type: 'removed-from-room', roomId, reason });
  }

  private apply(event: ControlEvent): void {
    if (event.type === USER_REVOKED && typeof event['userId'] === 'string') {
      this.realtime.closeUserSessions(
        event['userId'],
        new AppError('AUTH_REVOKED', `session revoked: ${String(event['reason'] ?? 'revoked')}; log in again`),
      );
    } else if (
      event.type === MEMBER_REMOVED &&
      typeof event['roomId'] === 'string' &&
      typeof event['userId'] === 'string'
    ) {
      const roomId = event['roomId'];
      const userId = event['userId'];
      this.memberships.invalidate(roomId, userId);
      this.realtime.endUserSubscriptions(
        userId,
        (destination) => isRoomDestination(destination, roomId),
        new AppError(
          'AUTH_FORBIDDEN',
          `no longer a member of room ${roomId} (${String(event['reason'] ?? 'removed')})`,
          {
            'x-room-id': roomId,
          },
        ),
      );
    }
  }
}
