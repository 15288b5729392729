/**
 * A virtual user's view of its room: it subscribes (or resumes), checks every MESSAGE's
 * x-seq against its ledger, records send → deliver latency, and sends on a schedule.
 */
import type { IMessage } from '@stomp/stompjs';
import { destinations } from '../../client/src/destinations.js';
import { METRIC, type Metrics } from './metrics.js';
import { SequenceLedger } from './sequence-ledger.js';
import type { StompLink } from './stomp-link.js';

/** The body every load-test message carries: the sender's clock and a counter. */
interface Probe {
  readonly t: number;
  readonly n: number;
}

// The SDK's names: a virtual user speaks the same wire contract as any client.
export const roomTopic = destinations.roomTopic;
export const roomSendDestination = destinations.roomSend;

export class RoomMember {
  private ledger = new SequenceLedger();
  private sentCount = 0;

  constructor(
    private readonly roomId: string,
    private readonly metrics: Metrics,
  ) {}

  /** Subscribes on `link`, resuming after the last x-seq seen when there is one. */
  async join(link: StompLink): Promise<void> {
    const since = this.ledger.lastSeq;
    const receipt = await link.subscribe(roomTopic(this.roomId), this.onMessage, since);
    if (since === undefined) return;
    this.metrics.count(METRIC.resumes);
    if (receipt['x-replay'] === 'truncated') {
      // The server could not replay back to `since`: what is missing was announced, not lost.
      // Close this span and start a new one, so gaps keep meaning "lost without notice".
      this.metrics.count(METRIC.replayTruncated);
      this.flushLedger();
    }
  }

  /** Sends `rate` messages per second for `seconds`, each with a receipt; open loop. */
  async sendFor(link: StompLink, rate: number, seconds: number): Promise<void> {
    if (rate <= 0) return sleep(seconds * 1_000);
    const intervalMs = 1_000 / rate;
    const count = Math.max(1, Math.round(rate * seconds));
    const started = performance.now();
    const inFlight: Promise<number>[] = [];
    for (let i = 0; i < count; i++) {
      const probe: Probe = { t: Date.now(), n: this.sentCount++ };
      inFlight.push(link.send(roomSendDestination(this.roomId), JSON.stringify(probe)));
      const wait = started + (i + 1) * intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
    }
    await Promise.all(inFlight);
  }

  /** Emits what the ledger saw (delivered, expected, gaps, duplicates) and starts afresh. */
  flushLedger(): void {
    const { ledger } = this;
    this.metrics.count(METRIC.delivered, ledger.delivered);
    this.metrics.count(METRIC.expected, ledger.expected);
    this.metrics.count(METRIC.gaps, ledger.gaps);
    this.metrics.count(METRIC.duplicates, ledger.duplicates);
    this.ledger = new SequenceLedger();
  }

  private readonly onMessage = (message: IMessage): void => {
    const seq = Number(message.headers['x-seq']);
    if (!Number.isInteger(seq)) return; // an edit/typing event or a foreign frame: not counted
    const fresh = this.ledger.record(seq);
    const replayed = message.headers['x-replayed'] === 'true';
    if (replayed) this.metrics.count(METRIC.replayed);
    // A replayed message waited for the member to come back: its age is not delivery latency.
    if (!fresh || replayed) return;
    const sentAt = probeTime(message.body);
    if (sentAt !== undefined) this.metrics.sample(METRIC.deliveryLatency, Math.max(0, Date.now() - sentAt));
  };
}

function probeTime(body: string): number | undefined {
  try {
    const t: unknown = (JSON.parse(body) as Partial<Probe>).t;
    return typeof t === 'number' ? t : undefined;
  } catch {
    return undefined;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
