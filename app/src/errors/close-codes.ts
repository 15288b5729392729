/** The RFC 6455 close codes a WebSocket ends with after a STOMP ERROR frame. */
export const CLOSE = {
  /** 1002: the client broke the STOMP protocol. */
  PROTOCOL_ERROR: 1002,
  /** 1008: refused by policy: not allowed, over a limit, or a request that cannot succeed. */
  POLICY_VIOLATION: 1008,
  /** 1009: a frame or body over its size limit. */
  TOO_BIG: 1009,
  /** 1011: the server failed. */
  SERVER_ERROR: 1011,
  /** 1012: the server is restarting (the graceful drain). */
  SERVICE_RESTART: 1012,
  /** 1013: a dependency is unavailable: reconnect after a pause (see RECONNECT_AFTER_MS). */
  TRY_AGAIN_LATER: 1013,
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];
