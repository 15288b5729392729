import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CommandTally } from './command-tally.js';

/**
 * How often the event-loop lag histogram samples. prom-client's default (10 ms) is a timer that
 * wakes every idle instance 100 times a second, which was most of an idle instance's CPU and
 * grows with every instance added; at 100 ms a stall long enough to matter is still caught.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * The service's Prometheus metrics, on a registry of its own (not prom-client's global one)
 * so that several app instances in one test process never collide.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  // Frames are counted in plain numbers and handed to prom-client when it is scraped: frameOut
  // runs for every delivery, and even a bound label child's inc() (argument checks, a hash
  // lookup) was a visible share of the fan-out profile.
  private readonly framesIn = new CommandTally();
  private readonly framesOut = new CommandTally();
  private readonly errors = new Counter({
    name: 'stomp_errors_total',
    help: 'Errors reported to clients, by stable error code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: 'stomp_deliveries_total',
    help: 'MESSAGE frames handed to local subscribers',
    registers: [this.registry],
  });
  private readonly sendToDeliver = new Histogram({
    name: 'stomp_send_to_deliver_seconds',
    help: 'From a message being sequenced by the backplane to its fan-out on this instance',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  constructor() {
    this.framesIn.export(this.registry, 'stomp_frames_in_total', 'STOMP frames received, by command');
    this.framesOut.export(this.registry, 'stomp_frames_out_total', 'STOMP frames sent, by command');
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }

  /** A gauge whose value is read when Prometheus scrapes (connections, backlog, …). */
  /** `read` may be async (prom-client awaits it at scrape time), for values read from elsewhere. */
  gauge(name: string, help: string, read: () => number | Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }

  frameIn(command: string): void {
    this.framesIn.count(command);
  }

  frameOut(command: string): void {
    this.framesOut.count(command);
  }

  error(code: string): void {
    this.errors.inc({ code });
  }

  delivered(count: number, publishedAtMs: number | undefined): void {
    this.deliveries.inc(count);
    if (publishedAtMs !== undefined) this.sendToDeliver.observe(Math.max(0, Date.now() - publishedAtMs) / 1000);
  }
}
