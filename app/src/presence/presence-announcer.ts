import type { Backplane } from '../backplane/backplane.port.js';
import { presenceTopic } from '../rooms/room-destinations.js';
import type { PresenceEvent, PresenceStatus } from './presence-event.js';

/**
 * Tells every room a user is in that they came online or went offline: one ephemeral publish
 * per room (no sequence, not stored; a client that missed one asks GET /rooms/{id}/presence).
 */
export class PresenceAnnouncer {
  constructor(
    private readonly backplane: Backplane,
    private readonly roomIdsOf: (userId: string) => Promise<readonly string[]>,
    private readonly now: () => number = Date.now,
  ) {}

  async announce(user: { readonly userId: string; readonly username: string }, status: PresenceStatus): Promise<void> {
    const roomIds = await this.roomIdsOf(user.userId);
    const at = new Date(this.now()).toISOString();
    await Promise.all(
      roomIds.map((roomId) => {
        const event: PresenceEvent = {
          type: 'presence',
          roomId,
          userId: user.userId,
          username: user.username,
          status,
          at,
        };
        return this.backplane.publish({
          destination: presenceTopic(roomId),
          headers: [['content-type', 'application/json']],
          body: Buffer.from(JSON.stringify(event)),
          ephemeral: true,
        });
      }),
    );
  }
}
