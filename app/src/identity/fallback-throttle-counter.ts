import type { ThrottleCounter } from './throttle-counter.port.js';

export interface OutageLog {
  started(error: unknown): void;
  ended(): void;
}

/**
 * The Redis counter with this instance's memory behind it. When Redis fails, failures are counted
 * in memory instead (per instance again: up to N times the free attempts over N instances, never
 * unlimited) and the outage is logged once; nobody is locked out because Redis is gone. A lockout
 * counted in memory still holds after Redis is back: a key is locked while either counter says so.
 */
export class FallbackThrottleCounter implements ThrottleCounter {
  private failing = false;

  constructor(
    private readonly shared: ThrottleCounter,
    private readonly local: ThrottleCounter,
    private readonly log: OutageLog,
  ) {}

  async lockedForMs(key: string): Promise<number> {
    const local = await this.local.lockedForMs(key);
    const shared = await this.attempt(() => this.shared.lockedForMs(key));
    return Math.max(local, shared ?? 0);
  }

  async recordFailure(key: string): Promise<void> {
    const done = await this.attempt(async () => {
      await this.shared.recordFailure(key);
      return true;
    });
    if (done === undefined) await this.local.recordFailure(key);
  }

  async clear(key: string): Promise<void> {
    await this.local.clear(key);
    await this.attempt(() => this.shared.clear(key));
  }

  private async attempt<T>(operation: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await operation();
      if (this.failing) {
        this.failing = false;
        this.log.ended();
      }
      return result;
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.log.started(error);
      }
      return undefined;
    }
  }
}
