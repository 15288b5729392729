import { setTimeout as sleep } from 'node:timers/promises';
import type { Log } from './log.port.js';
import type { DrainableSessions } from './drainable-sessions.port.js';
import { planDrainBatches, reconnectHintMs } from './drain-plan.js';
import type { Readiness } from './readiness.js';

/** Work that must finish before the process exits (e.g. the message persister's flush). */
export type Flush = () => Promise<void>;

/**
 * SIGTERM handling: stop being ready, refuse new WebSockets, close sessions in batches with an
 * ERROR that says the server is restarting (and when to come back), then run the flushes.
 */
export class GracefulDrain {
  private running: Promise<void> | undefined;

  constructor(
    private readonly sessions: DrainableSessions,
    private readonly readiness: Readiness,
    private readonly windowMs: number,
    private readonly flushes: { readonly all: readonly Flush[] },
    private readonly log: Log,
  ) {}

  run(): Promise<void> {
    this.running ??= this.drain();
    return this.running;
  }

  private async drain(): Promise<void> {
    const startedAt = Date.now();
    this.readiness.markDraining();
    this.sessions.stopAccepting();
    const sessions = this.sessions.openSessions();
    this.log.info({ sessions: sessions.length, windowMs: this.windowMs }, 'draining');
    let next = 0;
    for (const batch of planDrainBatches(sessions.length, this.windowMs)) {
      const wait = startedAt + batch.atMs - Date.now();
      if (wait > 0) await sleep(wait);
      this.sessions.closeSessions(sessions.slice(next, next + batch.count), () => reconnectHintMs());
      next += batch.count;
    }
    for (const flush of this.flushes.all) {
      try {
        await flush();
      } catch (error) {
        this.log.error({ err: error }, 'flush during drain failed');
      }
    }
    this.log.info({ tookMs: Date.now() - startedAt }, 'drained');
  }
}
