/**
 * The one home of the load test's metric names. Artillery keeps three kinds: counters
 * (summed), histograms (p50/p95/p99 per period and overall) and rates. The scenarios'
 * `ensure` gates and the report read these same names.
 */
export const METRIC = {
  /** WebSocket open + CONNECT → CONNECTED, ms. */
  connectTime: 'stomp.connect_time',
  /** SEND with `receipt` → RECEIPT (the message was sequenced), ms. */
  receiptLatency: 'stomp.receipt_latency',
  /** Sender's clock at SEND → a member's MESSAGE, ms (one sample per delivery). */
  deliveryLatency: 'stomp.delivery_latency',
  /** POST /auth/login, ms. */
  loginTime: 'auth.login_time',
  sessionsOpened: 'stomp.sessions_opened',
  sessionsClosed: 'stomp.sessions_closed',
  sent: 'stomp.sent',
  receipts: 'stomp.receipts',
  receiptTimeouts: 'stomp.receipt_timeouts',
  /** Distinct room messages a member received. */
  delivered: 'stomp.delivered',
  /** Room messages a member should have received: the x-seq span it watched. */
  expected: 'stomp.expected',
  /** x-seq values missing inside that span. Gate: 0. */
  gaps: 'stomp.gaps',
  /** Room messages received twice. Gate: 0. */
  duplicates: 'stomp.duplicates',
  resumes: 'stomp.resumes',
  replayed: 'stomp.replayed',
  /** Resumes the server could not fully replay (x-replay: truncated): reported, not a gap. */
  replayTruncated: 'stomp.replay_truncated',
  tokenRefreshes: 'auth.token_refreshes',
  /** Prefix of the per-code error counters: `stomp.errors.AUTH_FORBIDDEN`, `stomp.errors.SOCKET_CLOSED`. */
  errorPrefix: 'stomp.errors.',
} as const;

/** What Artillery hands a processor function as `events`. */
export interface MetricEvents {
  emit(kind: 'counter' | 'histogram', name: string, value: number): void;
  emit(kind: 'rate', name: string): void;
}

/** Typed emitters over Artillery's event emitter. */
export class Metrics {
  constructor(private readonly events: MetricEvents) {}

  count(name: string, value = 1): void {
    this.events.emit('counter', name, value);
  }

  sample(name: string, ms: number): void {
    this.events.emit('histogram', name, ms);
  }

  /** Counts a failure under its STOMP error code (or a client-side code like SOCKET_CLOSED). */
  error(code: string): void {
    this.count(`${METRIC.errorPrefix}${code}`);
  }

  /**
   * Registers the gated counters at zero, so an `ensure` condition such as
   * `stomp.gaps == 0` always finds its variable even when nothing went wrong.
   */
  registerGatedCounters(): void {
    for (const name of [METRIC.gaps, METRIC.duplicates, METRIC.receiptTimeouts]) this.count(name, 0);
  }
}
