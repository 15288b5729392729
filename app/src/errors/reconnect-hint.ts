/** How long a client told a dependency is unavailable is asked to wait before reconnecting (ms). */
export const RECONNECT_AFTER_MS = 2_000;

/** The error detail (an ERROR header, a REST field) that carries the hint; SERVER_DRAINING uses it too. */
export const reconnectHint = (afterMs = RECONNECT_AFTER_MS): Readonly<Record<string, number>> => ({
  'x-reconnect-after-ms': afterMs,
});
