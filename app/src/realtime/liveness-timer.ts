import type { StompConfig } from '../config/app-config.js';

interface Checked {
  checkLiveness(now: number, tickMs: number): void;
}

/**
 * One timer for all sessions instead of several per session: idle connections then cost no
 * timer objects, and a tick over thousands of sessions is a cheap loop.
 */
export class LivenessTimer {
  private timer: NodeJS.Timeout | undefined;
  readonly tickMs: number;

  constructor(
    config: StompConfig,
    private readonly sessions: () => Iterable<Checked>,
    private readonly now: () => number,
  ) {
    const intervals = [
      config.heartbeatSendMs,
      config.heartbeatReceiveMs,
      config.wsPingIntervalMs,
      config.connectTimeoutMs,
    ].filter((ms) => ms > 0);
    // A quarter of the shortest interval keeps beats on time; 1 s is plenty for the defaults.
    this.tickMs = Math.max(10, Math.min(1_000, Math.floor(Math.min(...intervals) / 4)));
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  tick(): void {
    const now = this.now();
    // Copy first: checking may close sessions, which removes them from the live set.
    for (const session of [...this.sessions()]) session.checkLiveness(now, this.tickMs);
  }
}
