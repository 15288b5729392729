import { randomBytes } from 'node:crypto';
import type { Backplane, MessageListener, OutgoingMessage, PublishedMessage } from './backplane.port.js';

/**
 * The in-process backplane of the embedded default: one instance, so sequencing is a counter
 * per destination and fan-out is a direct call. Delivery is synchronous, before publish()
 * resolves, which keeps MESSAGE frames ahead of the sender's RECEIPT as on Redis.
 */
export class LocalBackplane implements Backplane {
  private readonly listeners = new Map<string, MessageListener>();
  private readonly sequences = new Map<string, number>();
  // A per-process prefix keeps message ids unique across restarts without a clock.
  private readonly idPrefix = randomBytes(4).toString('hex');
  private counter = 0;
  private closed = false;

  publish(message: OutgoingMessage): Promise<PublishedMessage> {
    if (this.closed) return Promise.reject(new Error('backplane is closed'));
    const seq = (this.sequences.get(message.destination) ?? 0) + 1;
    this.sequences.set(message.destination, seq);
    const published: PublishedMessage = {
      ...message,
      id: `${this.idPrefix}-${++this.counter}`,
      seq,
      publishedAt: Date.now(),
    };
    this.listeners.get(message.destination)?.(published);
    return Promise.resolve(published);
  }

  subscribe(destination: string, listener: MessageListener): Promise<void> {
    this.listeners.set(destination, listener);
    return Promise.resolve();
  }

  unsubscribe(destination: string): Promise<void> {
    this.listeners.delete(destination);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    return Promise.resolve();
  }
}
