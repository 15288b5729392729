import { setTimeout as sleep } from 'node:timers/promises';
import type { RealtimeServer } from '../realtime/realtime-server.js';
import type { RealtimeLog } from '../realtime/session-socket.js';
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
    private readonly realtime: RealtimeServer,
    private readonly readiness: Readiness,
    private readonly windowMs: number,
    private readonly flushes: { readonly all: readonly Flush[] },
    private readonly log: RealtimeLog,
  ) {}

  run(): Promise<void> {
    this.running ??= this.drain();
    return this.running;
  }

  private async drain(): Promise<void> {
    const startedAt = Date.now();
    this.readiness.markDraining();
    this.realtime.stopAccepting();
    const sessions = [...this.realtime.registry.all()];
    this.log.info({ sessions: sessions.length, windowMs: this.windowMs }, 'draining');
    let next = 0;
    for (const batch of planDrainBatches(sessions.length, this.windowMs)) {
      const wait = startedAt + batch.atMs - Date.now();
      if (wait > 0) await sleep(wait);
      this.realtime.closeSessions(sessions.slice(next, next + batch.count), () => reconnectHintMs());
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
