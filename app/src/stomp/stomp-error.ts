/**
 * Why the codec rejected input. Stable: the session maps these to ERROR frames and metrics,
 * so a code is never renamed or reused.
 */
export type StompErrorCode =
  | 'STOMP_BAD_COMMAND'
  | 'STOMP_MALFORMED_HEADER'
  | 'STOMP_BAD_ESCAPE'
  | 'STOMP_BAD_CONTENT_LENGTH'
  | 'STOMP_MISSING_NUL'
  | 'STOMP_FRAME_TOO_LARGE'
  | 'STOMP_BODY_TOO_LARGE'
  | 'STOMP_TOO_MANY_HEADERS'
  | 'STOMP_HEADER_TOO_LONG'
  | 'STOMP_PARSER_FAILED';

/**
 * A protocol violation found by the codec. The message is human readable and safe to send
 * to the client: it never echoes the client's bytes (they could hold anything, including
 * line breaks that would corrupt the ERROR frame carrying the message).
 */
export class StompError extends Error {
  constructor(
    readonly code: StompErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StompError';
  }
}
