import type { ErrorCode } from '../../app/src/errors/error-codes.js';

/** The codec's own codes (app/src/stomp/stomp-error.ts), reported in ERROR frames too. */
export type StompCodecErrorCode = `STOMP_${string}`;

/**
 * Failures that happen on this side of the wire: the client was closed, the network is
 * unreachable, or the server answered something the SDK cannot read.
 */
export const CLIENT_ERROR_CODES = ['CLIENT_CLOSED', 'CLIENT_OFFLINE', 'CLIENT_NETWORK', 'CLIENT_BAD_REPLY'] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** Every code a ChatError can carry: the server's table (one home: error-codes.ts) plus the SDK's own. */
export type ChatErrorCode = ErrorCode | StompCodecErrorCode | ClientErrorCode;

/**
 * One error type for everything the SDK reports: REST replies (`status` set), STOMP ERROR
 * frames (`headers` set) and local failures. Switch on `code`; `message` is for people.
 */
export class ChatError extends Error {
  override readonly name = 'ChatError';

  constructor(
    readonly code: ChatErrorCode,
    message: string,
    readonly details: {
      readonly status?: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly cause?: unknown;
    } = {},
  ) {
    super(message);
  }

  /** HTTP status of a REST reply, if this came from one. */
  get status(): number | undefined {
    return this.details.status;
  }

  /** The server's reconnect hint on a drain (`x-reconnect-after-ms`), if it gave one. */
  get reconnectAfterMs(): number | undefined {
    const hint = this.details.headers?.['x-reconnect-after-ms'];
    return hint === undefined || !/^\d+$/.test(hint) ? undefined : Number(hint);
  }

  /** From a STOMP ERROR frame's headers (`code`, `message`, `receipt-id`, details). */
  static fromErrorFrame(headers: Readonly<Record<string, string>>, body: string): ChatError {
    const code = (headers['code'] ?? 'INTERNAL') as ChatErrorCode;
    return new ChatError(code, headers['message'] ?? body, { headers });
  }
}

/**
 * Codes after which sending the same frame again can only fail the same way: the outbox drops
 * such a message and rejects its promise instead of retrying it.
 */
export function isPermanentSendError(code: ChatErrorCode): boolean {
  return (
    code.startsWith('PROTOCOL_') ||
    code.startsWith('DESTINATION_') ||
    code.startsWith('STOMP_') ||
    code === 'AUTH_FORBIDDEN' ||
    code === 'VALIDATION_FAILED' ||
    code === 'PAYLOAD_TOO_LARGE'
  );
}

/** Codes that end the client for good: reconnecting cannot help until the user logs in again. */
export function isFatalSessionError(code: ChatErrorCode): boolean {
  return code === 'AUTH_REVOKED' || code === 'AUTH_INVALID' || code === 'AUTH_REQUIRED';
}
