import { Injectable, Logger } from '@nestjs/common';
import type { Revocation } from '../revocations/revocation-log.js';

/** `reason` is human-readable, e.g. 'logout' or 'refresh token reuse'; safe to show the user. */
export type UserSessionsRevokedListener = (userId: string, reason: string, revocation: Revocation) => void;

/**
 * Tells the rest of the process that a user's sessions must end now: access tokens are
 * stateless and stay valid until they expire, so live WebSocket sessions learn about a
 * logout or a detected token theft only through here. In-process only, and only after the
 * revocation is stored (access_revocations): the access layer applies it here at once and
 * every other instance reads it from there.
 */
@Injectable()
export class IdentityEvents {
  private readonly logger = new Logger(IdentityEvents.name);
  private readonly listeners = new Set<UserSessionsRevokedListener>();

  /** Returns a function that removes the listener. */
  onUserSessionsRevoked(listener: UserSessionsRevokedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Calls every listener. One that throws is logged and does not stop the others, and
   * does not fail the logout or refresh that triggered it: the revocation is already
   * stored by then.
   */
  emitUserSessionsRevoked(revocation: Revocation): void {
    const { userId, reason } = revocation;
    for (const listener of [...this.listeners]) {
      try {
        listener(userId, reason, revocation);
      } catch (error) {
        this.logger.error(
          `a user-sessions-revoked listener failed for user ${userId}: ${(error as Error).message}`,
          (error as Error).stack,
        );
      }
    }
  }
}
