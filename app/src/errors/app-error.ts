import type { ErrorCode } from './error-codes.js';

/**
 * A failure the service expects and reports to the client: the code is stable, the message
 * is safe to show (never a token, a password or a stack trace).
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra fields that are safe to send to the client (REST body or STOMP headers). */
    readonly details: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}
