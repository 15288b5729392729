import { nowMs, nowUs } from './clock.js';
import { encodePayload, receiptIdFor } from './payload.js';
import { RateSchedule } from './rate-schedule.js';
import { roomOf } from './rooms.js';
import type { LoadConnection } from './load-connection.js';
import type { PublishArgs } from './worker-protocol.js';

/**
 * Sends SEND frames at a fixed total rate over a set of connections, round-robin.
 * Each body is stamped with the moment ws.send is called: ws never blocks (it queues), so a
 * slow server shows up as latency rather than as a lower send rate.
 */
export class PublishLoop {
  private schedule: RateSchedule | undefined;
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  /** Per-connection sequence numbers, so subscribers can spot gaps per publisher. */
  private readonly connectionSeq: number[];
  private readonly maxBurst: number;
  /** Each connection's destination (its room, when the load is spread over rooms). */
  private readonly destinations: readonly string[];

  constructor(
    private readonly connections: readonly LoadConnection[],
    private readonly firstPublisherIndex: number,
    private readonly args: PublishArgs,
    private readonly onSent: () => void,
  ) {
    // Enough to catch up after a ~20-tick stall, small enough not to freeze the worker.
    this.maxBurst = Math.max(64, Math.ceil((args.ratePerSec * args.tickMs) / 1000) * 20);
    this.connectionSeq = connections.map(() => 0);
    this.destinations = connections.map((_, slot) => roomOf(args.destination, firstPublisherIndex + slot, args.rooms));
  }

  start(): void {
    if (this.connections.length === 0 || this.args.ratePerSec <= 0) return;
    this.schedule = new RateSchedule(this.args.ratePerSec, nowMs());
    this.tick();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.schedule = undefined;
  }

  /** Worst lateness against the schedule since the last resetLag() (i.e. within the window). */
  get maxLagMs(): number {
    return this.schedule?.maxLag ?? 0;
  }

  resetLag(): void {
    this.schedule?.resetMaxLag();
  }

  private readonly tick = (): void => {
    const schedule = this.schedule;
    if (!schedule) return;
    const due = schedule.take(nowMs(), this.maxBurst);
    for (let i = 0; i < due; i++) this.sendOne();
    this.timer = setTimeout(this.tick, this.args.tickMs);
  };

  private sendOne(): void {
    const seq = this.seq++;
    const slot = seq % this.connections.length;
    const connection = this.connections[slot]!;
    // A closed publisher skips its turn; its sequence does not advance, so no false gap.
    if (!connection.open) return;
    const sentAtUs = nowUs();
    const connectionSeq = this.connectionSeq[slot]!;
    this.connectionSeq[slot] = connectionSeq + 1;
    const body = encodePayload(sentAtUs, this.firstPublisherIndex + slot, connectionSeq, this.args.bodyBytes);
    connection.publish(this.destinations[slot]!, body, this.args.receipts ? receiptIdFor(seq, sentAtUs) : undefined);
    this.onSent();
  }
}
