import type { Message } from 'amqplib';

/** What to acknowledge for one batch: at most one `multiple` ack, then single ones. */
export interface AckPlan {
  /** Ack this delivery with `allUpTo`: it and every unsettled one before it are in the batch. */
  readonly upTo: Message | undefined;
  readonly single: readonly Message[];
}

/**
 * The deliveries one channel handed out that are neither acknowledged nor returned yet, oldest
 * first (a channel's delivery tags only grow).
 *
 * It lets a batch that covers the oldest unsettled deliveries go out as one ack with `multiple`
 * instead of one ack per message: one frame, and for a quorum queue one settle command in its
 * log. Measured on the local broker (publish to the quorum queue and an instance queue, consume
 * both, ack the quorum copies in batches of 100): 66 µs of broker CPU per message against
 * 74–78 µs with single acks. A delivery outside the batch that is older than some of it (held
 * by another read, left undecodable) keeps those on single acks: a `multiple` ack never covers a
 * delivery that is not stored.
 */
export class UnsettledDeliveries {
  private readonly deliveries: Message[] = [];

  add(delivery: Message): void {
    this.deliveries.push(delivery);
  }

  /** Settled some other way (nack, requeue). */
  remove(delivery: Message): void {
    const index = this.deliveries.indexOf(delivery);
    if (index >= 0) this.deliveries.splice(index, 1);
  }

  get size(): number {
    return this.deliveries.length;
  }

  /** Plans the acks of `batch` (deliveries of this channel) and forgets them. */
  settle(batch: readonly Message[]): AckPlan {
    const inBatch = new Set(batch);
    let covered = 0;
    while (covered < this.deliveries.length && inBatch.has(this.deliveries[covered]!)) covered++;
    const upTo = covered >= 2 ? this.deliveries[covered - 1] : undefined;
    const settledTogether = upTo === undefined ? new Set<Message>() : new Set(this.deliveries.slice(0, covered));
    if (upTo !== undefined) this.deliveries.splice(0, covered);
    const single = batch.filter((delivery) => !settledTogether.has(delivery));
    for (const delivery of single) this.remove(delivery);
    return { upTo, single };
  }
}
