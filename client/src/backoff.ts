/** How long to wait before reconnecting. All times in milliseconds. */
export interface BackoffPolicy {
  /** First delay after a connection is lost. @default 500 */
  readonly initialMs: number;
  /** Upper bound of the delay, however many attempts failed. @default 30000 */
  readonly maxMs: number;
  /** Least delay after the server said it is restarting or overloaded (close 1012/1013) without a hint. @default 1000 */
  readonly restartMinMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000, restartMinMs: 1_000 };

/** Why the last connection ended, as far as choosing the next delay goes. */
export interface LostConnection {
  /** Failed attempts since the last successful connection (0 for the first retry). */
  readonly attempt: number;
  /** The server's `x-reconnect-after-ms` on its ERROR frame (a drain), if any. */
  readonly hintMs?: number;
  /** The WebSocket close code, if known. */
  readonly closeCode?: number;
}

/**
 * Exponential backoff with "equal jitter" (half fixed, half random), so that thousands of clients
 * cut off at once do not come back at once. A server hint wins: the server already spread its
 * hints over its drain window, so the client adds only a little jitter of its own on top.
 */
export function reconnectDelayMs(lost: LostConnection, policy: BackoffPolicy, random: () => number): number {
  if (lost.hintMs !== undefined) return lost.hintMs + Math.floor(random() * Math.min(250, lost.hintMs / 4 + 1));
  const exponential = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(lost.attempt, 30));
  const restarting = lost.closeCode === 1012 || lost.closeCode === 1013;
  const ceiling = restarting ? Math.max(exponential, policy.restartMinMs) : exponential;
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}
