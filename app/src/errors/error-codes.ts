import type { StompErrorCode } from '../stomp/stomp-error.js';
import { CLOSE, type CloseCode } from './close-codes.js';

/**
 * Every error the service reports carries one of these stable codes. Clients may switch on
 * them, so a code is never renamed or reused; add new ones at the end of their group.
 *
 * `http` is the status a REST response uses. Over STOMP every error ends the session (STOMP 1.2
 * closes the connection after ERROR) and `close` is the WebSocket close code that follows it.
 */
export const ERROR_CODES = {
  // configuration
  CONFIG_INVALID: { http: 500, close: CLOSE.POLICY_VIOLATION },
  // protocol (the codec's own codes are STOMP_*, see app/src/stomp/stomp-error.ts)
  PROTOCOL_NOT_CONNECTED: { http: 400, close: CLOSE.PROTOCOL_ERROR },
  PROTOCOL_ALREADY_CONNECTED: { http: 400, close: CLOSE.PROTOCOL_ERROR },
  PROTOCOL_VERSION_UNSUPPORTED: { http: 400, close: CLOSE.PROTOCOL_ERROR },
  PROTOCOL_MISSING_HEADER: { http: 400, close: CLOSE.PROTOCOL_ERROR },
  PROTOCOL_BAD_HEADER: { http: 400, close: CLOSE.PROTOCOL_ERROR },
  PROTOCOL_DUPLICATE_SUBSCRIPTION: { http: 400, close: CLOSE.PROTOCOL_ERROR },
  PROTOCOL_UNKNOWN_SUBSCRIPTION: { http: 400, close: CLOSE.PROTOCOL_ERROR },
  PROTOCOL_UNKNOWN_TRANSACTION: { http: 400, close: CLOSE.PROTOCOL_ERROR },
  PROTOCOL_DUPLICATE_TRANSACTION: { http: 400, close: CLOSE.PROTOCOL_ERROR },
  PROTOCOL_UNKNOWN_ACK: { http: 400, close: CLOSE.PROTOCOL_ERROR },
  PROTOCOL_UNEXPECTED_FRAME: { http: 400, close: CLOSE.PROTOCOL_ERROR },
  DESTINATION_UNKNOWN: { http: 404, close: CLOSE.POLICY_VIOLATION },
  DESTINATION_INVALID: { http: 400, close: CLOSE.POLICY_VIOLATION },
  // limits
  LIMIT_SUBSCRIPTIONS: { http: 429, close: CLOSE.POLICY_VIOLATION },
  LIMIT_SEND_RATE: { http: 429, close: CLOSE.POLICY_VIOLATION },
  LIMIT_SLOW_CONSUMER: { http: 429, close: CLOSE.POLICY_VIOLATION },
  LIMIT_UNACKED: { http: 429, close: CLOSE.POLICY_VIOLATION },
  LIMIT_TRANSACTION_SIZE: { http: 429, close: CLOSE.POLICY_VIOLATION },
  LIMIT_HEARTBEAT_TIMEOUT: { http: 408, close: CLOSE.POLICY_VIOLATION },
  LIMIT_CONNECTIONS: { http: 429, close: CLOSE.POLICY_VIOLATION },
  LIMIT_CONNECT_TIMEOUT: { http: 408, close: CLOSE.POLICY_VIOLATION },
  LIMIT_FRAME_TIMEOUT: { http: 408, close: CLOSE.POLICY_VIOLATION },
  // authentication and authorization
  AUTH_REQUIRED: { http: 401, close: CLOSE.POLICY_VIOLATION },
  AUTH_INVALID: { http: 401, close: CLOSE.POLICY_VIOLATION },
  AUTH_EXPIRED: { http: 401, close: CLOSE.POLICY_VIOLATION },
  AUTH_FORBIDDEN: { http: 403, close: CLOSE.POLICY_VIOLATION },
  AUTH_REVOKED: { http: 401, close: CLOSE.POLICY_VIOLATION },
  // server lifecycle
  SERVER_DRAINING: { http: 503, close: CLOSE.SERVICE_RESTART },
  // a logout, removal or deletion whose revocation could not be stored (REST: nothing changed;
  // STOMP: this instance could not re-check its sessions after a reconnect, so it closed them)
  REVOCATION_UNAVAILABLE: { http: 503, close: CLOSE.POLICY_VIOLATION },
  INTERNAL: { http: 500, close: CLOSE.SERVER_ERROR },
  // REST requests, accounts and rooms
  VALIDATION_FAILED: { http: 400, close: CLOSE.POLICY_VIOLATION },
  BAD_REQUEST: { http: 400, close: CLOSE.POLICY_VIOLATION },
  NOT_FOUND: { http: 404, close: CLOSE.POLICY_VIOLATION },
  PAYLOAD_TOO_LARGE: { http: 413, close: CLOSE.POLICY_VIOLATION },
  JSON_TOO_DEEP: { http: 400, close: CLOSE.POLICY_VIOLATION },
  LIMIT_LOGIN_ATTEMPTS: { http: 429, close: CLOSE.POLICY_VIOLATION },
  LIMIT_BUSY: { http: 503, close: CLOSE.POLICY_VIOLATION },
  USER_EXISTS: { http: 409, close: CLOSE.POLICY_VIOLATION },
  USER_NOT_FOUND: { http: 404, close: CLOSE.POLICY_VIOLATION },
  ROOM_NOT_FOUND: { http: 404, close: CLOSE.POLICY_VIOLATION },
  ROOM_MEMBER_EXISTS: { http: 409, close: CLOSE.POLICY_VIOLATION },
  ROOM_NOT_MEMBER: { http: 404, close: CLOSE.POLICY_VIOLATION },
  ROOM_OWNER_IMMUTABLE: { http: 409, close: CLOSE.POLICY_VIOLATION },
  ROOM_DIRECT_FIXED: { http: 409, close: CLOSE.POLICY_VIOLATION },
  ROOM_DIRECT_SELF: { http: 400, close: CLOSE.POLICY_VIOLATION },
  // messages and history
  HISTORY_UNAVAILABLE: { http: 503, close: CLOSE.POLICY_VIOLATION },
  // message edits and deletions
  MESSAGE_NOT_FOUND: { http: 404, close: CLOSE.POLICY_VIOLATION },
  MESSAGE_NOT_EDITABLE: { http: 409, close: CLOSE.POLICY_VIOLATION },
  MESSAGE_DELETED: { http: 409, close: CLOSE.POLICY_VIOLATION },
  MESSAGE_UNAVAILABLE: { http: 503, close: CLOSE.POLICY_VIOLATION },
  // dependencies on the send path (the client may retry, with the same x-client-msg-id)
  /** The broker behind the backplane (Redis, RabbitMQ) is unreachable, too slow or refuses writes (an alarm): reconnect and retry. */
  BACKPLANE_UNAVAILABLE: { http: 503, close: CLOSE.TRY_AGAIN_LATER },
  /** Published, but no replica confirmed it within RECEIPT_WAIT_TIMEOUT_MS: retry with the same x-client-msg-id. */
  BACKPLANE_UNREPLICATED: { http: 503, close: CLOSE.TRY_AGAIN_LATER },
  /** The message store did not answer in time (or failed) where a send needed it. */
  MESSAGE_STORE_UNAVAILABLE: { http: 503, close: CLOSE.TRY_AGAIN_LATER },
  /** A SEND was not done within STOMP_SEND_TIMEOUT_MS (a dependency hangs). */
  SEND_TIMEOUT: { http: 503, close: CLOSE.TRY_AGAIN_LATER },
} as const satisfies Record<string, { http: number; close: CloseCode }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The close codes of the codec's own errors (app/src/stomp/stomp-error.ts). They live here, not
 * in the codec, so the codec stays free of WebSocket and service concerns.
 */
export const CODEC_ERROR_CODES = {
  STOMP_BAD_COMMAND: { close: CLOSE.PROTOCOL_ERROR },
  STOMP_MALFORMED_HEADER: { close: CLOSE.PROTOCOL_ERROR },
  STOMP_BAD_ESCAPE: { close: CLOSE.PROTOCOL_ERROR },
  STOMP_BAD_CONTENT_LENGTH: { close: CLOSE.PROTOCOL_ERROR },
  STOMP_MISSING_NUL: { close: CLOSE.PROTOCOL_ERROR },
  STOMP_FRAME_TOO_LARGE: { close: CLOSE.TOO_BIG },
  STOMP_BODY_TOO_LARGE: { close: CLOSE.TOO_BIG },
  STOMP_TOO_MANY_HEADERS: { close: CLOSE.PROTOCOL_ERROR },
  STOMP_HEADER_TOO_LONG: { close: CLOSE.PROTOCOL_ERROR },
  STOMP_PARSER_FAILED: { close: CLOSE.PROTOCOL_ERROR },
} as const satisfies Record<StompErrorCode, { close: CloseCode }>;
