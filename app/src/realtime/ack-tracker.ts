import { AppError } from '../errors/app-error.js';
import type { Subscription } from './subscription.js';

interface Pending {
  readonly subscription: Subscription;
  readonly messageId: string;
}

/**
 * Tracks MESSAGEs delivered in `client` / `client-individual` mode until the client ACKs or
 * NACKs them. Topic messages are a live stream, so a NACK does not redeliver: like an ACK it
 * releases the message (and, in `client` mode, every earlier one of that subscription);
 * clients that need what they missed resume from history instead.
 */
export class AckTracker {
  // Insertion order is delivery order, which makes cumulative acknowledgement a prefix walk.
  private readonly pending = new Map<string, Pending>();
  private readonly countBySubscription = new Map<Subscription, number>();
  private nextId = 0;

  constructor(private readonly maxUnackedPerSubscription: number) {}

  /** Registers a delivery and returns the `ack` id the client must send back. */
  track(subscription: Subscription, messageId: string): string {
    const count = (this.countBySubscription.get(subscription) ?? 0) + 1;
    if (count > this.maxUnackedPerSubscription) {
      throw new AppError(
        'LIMIT_UNACKED',
        `subscription ${subscription.id} has more than ${this.maxUnackedPerSubscription} unacknowledged messages`,
      );
    }
    this.countBySubscription.set(subscription, count);
    const ackId = String(++this.nextId);
    this.pending.set(ackId, { subscription, messageId });
    return ackId;
  }

  /** Finds the ack id of a 1.0/1.1 ACK, which names the message (and, in 1.1, the subscription). */
  findByMessageId(messageId: string, subscriptionId?: string): string | undefined {
    for (const [ackId, entry] of this.pending) {
      if (entry.messageId === messageId && (subscriptionId === undefined || entry.subscription.id === subscriptionId)) {
        return ackId;
      }
    }
    return undefined;
  }

  /** ACK and NACK release the same way (see class comment). Unknown ids are a client error. */
  settle(ackId: string): void {
    const entry = this.pending.get(ackId);
    if (entry === undefined) {
      throw new AppError('PROTOCOL_UNKNOWN_ACK', `no unacknowledged message has ack id '${ackId}'`);
    }
    if (entry.subscription.ackMode === 'client') {
      for (const [id, other] of this.pending) {
        if (other.subscription === entry.subscription) this.release(id, other);
        if (id === ackId) break;
      }
    } else {
      this.release(ackId, entry);
    }
  }

  /** Forgets everything of a subscription that ended. */
  dropSubscription(subscription: Subscription): void {
    for (const [id, entry] of this.pending) {
      if (entry.subscription === subscription) this.pending.delete(id);
    }
    this.countBySubscription.delete(subscription);
  }

  get size(): number {
    return this.pending.size;
  }

  private release(ackId: string, entry: Pending): void {
    this.pending.delete(ackId);
    const left = (this.countBySubscription.get(entry.subscription) ?? 1) - 1;
    if (left === 0) this.countBySubscription.delete(entry.subscription);
    else this.countBySubscription.set(entry.subscription, left);
  }
}
