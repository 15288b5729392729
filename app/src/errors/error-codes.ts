/**
 * Every error the service reports carries one of these stable codes. Clients may switch on
 * them, so a code is never renamed or reused; add new ones at the end of their group.
 *
 * `http` is the status a REST response uses. Over STOMP every error ends the session (STOMP 1.2
 * closes the connection after ERROR); the WebSocket close code comes from realtime/error-frame.ts.
 */
export const ERROR_CODES = {
  // configuration
  CONFIG_INVALID: { http: 500 },
  // protocol (the codec's own codes are STOMP_*, see app/src/stomp/stomp-error.ts)
  PROTOCOL_NOT_CONNECTED: { http: 400 },
  PROTOCOL_ALREADY_CONNECTED: { http: 400 },
  PROTOCOL_VERSION_UNSUPPORTED: { http: 400 },
  PROTOCOL_MISSING_HEADER: { http: 400 },
  PROTOCOL_BAD_HEADER: { http: 400 },
  PROTOCOL_DUPLICATE_SUBSCRIPTION: { http: 400 },
  PROTOCOL_UNKNOWN_SUBSCRIPTION: { http: 400 },
  PROTOCOL_UNKNOWN_TRANSACTION: { http: 400 },
  PROTOCOL_DUPLICATE_TRANSACTION: { http: 400 },
  PROTOCOL_UNKNOWN_ACK: { http: 400 },
  PROTOCOL_UNEXPECTED_FRAME: { http: 400 },
  DESTINATION_UNKNOWN: { http: 404 },
  DESTINATION_INVALID: { http: 400 },
  // limits
  LIMIT_SUBSCRIPTIONS: { http: 429 },
  LIMIT_SEND_RATE: { http: 429 },
  LIMIT_SLOW_CONSUMER: { http: 429 },
  LIMIT_UNACKED: { http: 429 },
  LIMIT_TRANSACTION_SIZE: { http: 429 },
  LIMIT_HEARTBEAT_TIMEOUT: { http: 408 },
  LIMIT_CONNECTIONS: { http: 429 },
  LIMIT_CONNECT_TIMEOUT: { http: 408 },
  LIMIT_FRAME_TIMEOUT: { http: 408 },
  // authentication and authorization
  AUTH_REQUIRED: { http: 401 },
  AUTH_INVALID: { http: 401 },
  AUTH_EXPIRED: { http: 401 },
  AUTH_FORBIDDEN: { http: 403 },
  AUTH_REVOKED: { http: 401 },
  // server lifecycle
  SERVER_DRAINING: { http: 503 },
  // a logout, removal or deletion whose revocation could not be stored (REST: nothing changed;
  // STOMP: this instance could not re-check its sessions after a reconnect, so it closed them)
  REVOCATION_UNAVAILABLE: { http: 503 },
  INTERNAL: { http: 500 },
  // REST requests, accounts and rooms
  VALIDATION_FAILED: { http: 400 },
  BAD_REQUEST: { http: 400 },
  NOT_FOUND: { http: 404 },
  PAYLOAD_TOO_LARGE: { http: 413 },
  JSON_TOO_DEEP: { http: 400 },
  LIMIT_LOGIN_ATTEMPTS: { http: 429 },
  LIMIT_BUSY: { http: 503 },
  USER_EXISTS: { http: 409 },
  USER_NOT_FOUND: { http: 404 },
  ROOM_NOT_FOUND: { http: 404 },
  ROOM_MEMBER_EXISTS: { http: 409 },
  ROOM_NOT_MEMBER: { http: 404 },
  ROOM_OWNER_IMMUTABLE: { http: 409 },
  ROOM_DIRECT_FIXED: { http: 409 },
  ROOM_DIRECT_SELF: { http: 400 },
  // messages and history
  HISTORY_UNAVAILABLE: { http: 503 },
  // message edits and deletions
  MESSAGE_NOT_FOUND: { http: 404 },
  MESSAGE_NOT_EDITABLE: { http: 409 },
  MESSAGE_DELETED: { http: 409 },
  MESSAGE_UNAVAILABLE: { http: 503 },
  // dependencies on the send path (the client may retry, with the same x-client-msg-id)
  /** The broker behind the backplane (Redis, RabbitMQ) is unreachable, too slow or refuses writes (an alarm): reconnect and retry. */
  BACKPLANE_UNAVAILABLE: { http: 503 },
  /** Published, but no replica confirmed it within RECEIPT_WAIT_TIMEOUT_MS: retry with the same x-client-msg-id. */
  BACKPLANE_UNREPLICATED: { http: 503 },
  /** The message store did not answer in time (or failed) where a send needed it. */
  MESSAGE_STORE_UNAVAILABLE: { http: 503 },
  /** A SEND was not done within STOMP_SEND_TIMEOUT_MS (a dependency hangs). */
  SEND_TIMEOUT: { http: 503 },
} as const satisfies Record<string, { http: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;
