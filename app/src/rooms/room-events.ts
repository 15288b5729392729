import { Injectable, Logger } from '@nestjs/common';
import type { Revocation } from '../revocations/revocation-log.js';

/** `reason` is one of 'removed', 'left', 'room deleted'; safe to show the user. */
export type MemberRemovedListener = (roomId: string, userId: string, reason: string, revocation: Revocation) => void;

/**
 * Announces, after the change and its revocation are stored, that a user is no longer in a
 * room, so the realtime layer can end that user's live subscriptions to it. In-process only;
 * other instances read the stored revocation.
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
  emitMemberRemoved(revocation: Revocation & { roomId: string }): void {
    const { roomId, userId, reason } = revocation;
    for (const listener of [...this.listeners]) {
      try {
        listener(roomId, userId, reason, revocation);
      } catch (error) {
        this.logger.error(
          `a member-removed listener failed for room ${roomId}, user ${userId}: ${(error as Error).message}`,
          (error as Error).stack,
        );
      }
    }
  }
}
