/**
 * Every error the service reports carries one of these stable codes. Clients may switch on
 * them, so a code is never renamed or reused; add new ones at the end of their group.
 *
 * `http` is the status a REST response uses; `closesSession` says whether a STOMP session
 * that hits it is closed after the ERROR frame (STOMP 1.2 requires closing after ERROR, so
 * only errors reported on a user destination would ever set it false).
 */
export const ERROR_CODES = {
  // configuration
  CONFIG_INVALID: { http: 500, closesSession: true },
  // protocol (the codec's own codes are STOMP_*, see app/src/stomp/stomp-error.ts)
  PROTOCOL_NOT_CONNECTED: { http: 400, closesSession: true },
  PROTOCOL_ALREADY_CONNECTED: { http: 400, closesSession: true },
  PROTOCOL_VERSION_UNSUPPORTED: { http: 400, closesSession: true },
  PROTOCOL_MISSING_HEADER: { http: 400, closesSession: true },
  PROTOCOL_BAD_HEADER: { http: 400, closesSession: true },
  PROTOCOL_DUPLICATE_SUBSCRIPTION: { http: 400, closesSession: true },
  PROTOCOL_UNKNOWN_SUBSCRIPTION: { http: 400, closesSession: true },
  PROTOCOL_UNKNOWN_TRANSACTION: { http: 400, closesSession: true },
  PROTOCOL_DUPLICATE_TRANSACTION: { http: 400, closesSession: true },
  PROTOCOL_UNKNOWN_ACK: { http: 400, closesSession: true },
  PROTOCOL_UNEXPECTED_FRAME: { http: 400, closesSession: true },
  DESTINATION_UNKNOWN: { http: 404, closesSession: true },
  DESTINATION_INVALID: { http: 400, closesSession: true },
  // limits
  LIMIT_SUBSCRIPTIONS: { http: 429, closesSession: true },
  LIMIT_SEND_RATE: { http: 429, closesSession: true },
  LIMIT_SLOW_CONSUMER: { http: 429, closesSession: true },
  LIMIT_UNACKED: { http: 429, closesSession: true },
  LIMIT_TRANSACTION_SIZE: { http: 429, closesSession: true },
  LIMIT_HEARTBEAT_TIMEOUT: { http: 408, closesSession: true },
  LIMIT_CONNECTIONS: { http: 429, closesSession: true },
  LIMIT_CONNECT_TIMEOUT: { http: 408, closesSession: true },
  // authentication and authorization
  AUTH_REQUIRED: { http: 401, closesSession: true },
  AUTH_INVALID: { http: 401, closesSession: true },
  AUTH_EXPIRED: { http: 401, closesSession: true },
  AUTH_FORBIDDEN: { http: 403, closesSession: true },
  AUTH_REVOKED: { http: 401, closesSession: true },
  // server lifecycle
  SERVER_DRAINING: { http: 503, closesSession: true },
  INTERNAL: { http: 500, closesSession: true },
  // REST requests, accounts and rooms (closesSession: STOMP closes after any ERROR)
  VALIDATION_FAILED: { http: 400, closesSession: true },
  BAD_REQUEST: { http: 400, closesSession: true },
  NOT_FOUND: { http: 404, closesSession: true },
  PAYLOAD_TOO_LARGE: { http: 413, closesSession: true },
  USER_EXISTS: { http: 409, closesSession: true },
  USER_NOT_FOUND: { http: 404, closesSession: true },
  ROOM_NOT_FOUND: { http: 404, closesSession: true },
  ROOM_MEMBER_EXISTS: { http: 409, closesSession: true },
  ROOM_NOT_MEMBER: { http: 404, closesSession: true },
  ROOM_OWNER_IMMUTABLE: { http: 409, closesSession: true },
  ROOM_DIRECT_FIXED: { http: 409, closesSession: true },
  ROOM_DIRECT_SELF: { http: 400, closesSession: true },
  // messages and history
  HISTORY_UNAVAILABLE: { http: 503, closesSession: true },
  // message edits and deletions
  MESSAGE_NOT_FOUND: { http: 404, closesSession: true },
  MESSAGE_NOT_EDITABLE: { http: 409, closesSession: true },
  MESSAGE_DELETED: { http: 409, closesSession: true },
  MESSAGE_UNAVAILABLE: { http: 503, closesSession: true },
} as const satisfies Record<string, { http: number; closesSession: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;
