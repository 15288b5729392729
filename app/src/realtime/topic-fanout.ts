import type { Backplane, PublishedMessage } from '../backplane/backplane.port.js';
import { PreparedMessage } from '../stomp/prepared-message.js';
import { endFanOut, releaseHeldNow, startFanOut } from '../streams/tick-cork.js';
import { clientDestination } from './destinations.js';
import type { Subscription } from './subscription.js';

/**
 * Owns this instance's topic subscriptions. The backplane is subscribed once per destination
 * (reference-counted by the local subscriber set), and each arriving message is encoded once
 * and handed to every local subscriber, who adds only its `subscription` (and `ack`) header.
 */
export class TopicFanout {
  private readonly subscribers = new Map<string, Set<Subscription>>();
  // A destination whose backplane subscription is still being set up: later adds wait on it.
  private readonly joining = new Map<string, Promise<void>>();

  constructor(
    private readonly backplane: Backplane,
    private readonly onDelivered: (count: number, publishedAt: number | undefined) => void = () => {},
  ) {}

  async add(subscription: Subscription): Promise<void> {
    const { destination } = subscription;
    let local = this.subscribers.get(destination);
    if (local === undefined) {
      local = new Set();
      this.subscribers.set(destination, local);
      const joined = this.backplane.subscribe(destination, (message) => this.fanOut(message));
      this.joining.set(destination, joined);
      try {
        await joined;
      } catch (error) {
        if (this.subscribers.get(destination)?.size === 0) this.subscribers.delete(destination);
        throw error;
      } finally {
        this.joining.delete(destination);
      }
    } else {
      await this.joining.get(destination);
    }
    local.add(subscription);
  }

  remove(subscription: Subscription): void {
    const local = this.subscribers.get(subscription.destination);
    if (local === undefined || !local.delete(subscription)) return;
    if (local.size === 0 && !this.joining.has(subscription.destination)) {
      this.subscribers.delete(subscription.destination);
      // Fire and forget: an unsubscribe that fails leaves only a listener with nobody behind it.
      this.backplane.unsubscribe(subscription.destination).catch(() => {});
    }
  }

  /** How many local subscriptions a destination has (for metrics and tests). */
  localCount(destination: string): number {
    return this.subscribers.get(destination)?.size ?? 0;
  }

  get destinationCount(): number {
    return this.subscribers.size;
  }

  private fanOut(message: PublishedMessage): void {
    const local = this.subscribers.get(message.destination);
    if (local === undefined || local.size === 0) return;
    const prepared = prepareTopicMessage(message);
    const releaseEvery = startFanOut(local.size);
    try {
      let sinceRelease = 0;
      for (const subscription of local) {
        subscription.subscriber.deliver(subscription, prepared, message.id, message.seq);
        if (++sinceRelease === releaseEvery) {
          releaseHeldNow();
          sinceRelease = 0;
        }
      }
    } finally {
      endFanOut();
    }
    this.onDelivered(local.size, message.publishedAt);
  }
}

/** The MESSAGE for a published message, encoded once for all subscribers (live or replayed). */
export function prepareTopicMessage(
  message: PublishedMessage,
  extraHeaders: Array<[string, string]> = [],
): PreparedMessage {
  const sequence: Array<[string, string]> = message.seq > 0 ? [['x-seq', String(message.seq)]] : [];
  return new PreparedMessage(
    [
      ['destination', clientDestination(message.destination)],
      ['message-id', message.id],
      ...sequence,
      ...extraHeaders,
      ...message.headers,
    ],
    message.body,
  );
}
