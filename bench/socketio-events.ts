/** The event names the Socket.IO peer server and the load worker's Socket.IO mode agree on. */
export const SOCKETIO_EVENTS = {
  /** client → server: `(room, ack)`; ack once the socket is in the room. */
  join: 'join',
  /** client → server: `(room, body, ack?)`; ack (when asked) once the body is handed to the room. */
  publish: 'publish',
  /** server → client: `(body)`, one per delivery. */
  message: 'message',
} as const;
