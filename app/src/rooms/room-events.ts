import { Injectable, Logger } from '@nestjs/common';

/** `reason` is one of 'removed', 'left', 'room deleted'; safe to show the user. */
export type MemberRemovedListener = (roomId: string, userId: string, reason: string) => void;

/**
 * Announces, after the change is stored, that a user is no longer in a room, so the
 * realtime layer can end that user's live subscriptions to it. In-process only.
 */
@Injectable()
export class RoomEvents {
  private readonly logger = new Logger(RoomEvents.name);
  private readonly listeners = new Set<MemberRemovedListener>();

  /** Returns a function that removes the listener. */
  onMemberRemoved(listener: MemberRemovedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A listener that throws is logged; the others still run and the change stands. */
  emitMemberRemoved(roomId: string, userId: string, reason: string): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(roomId, userId, reason);
      } catch (error) {
        this.logger.error(
          `a member-removed listener failed for room ${roomId}, user ${userId}: ${(error as Error).message}`,
          (error as Error).stack,
        );
      }
    }
  }
}
