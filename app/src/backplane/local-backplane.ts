import { randomBytes } from 'node:crypto';
import type {
  Backplane,
  ControlEvent,
  ControlListener,
  MessageListener,
  OutgoingMessage,
  PublishedMessage,
  PublishOptions,
  RecentMessages,
} from './backplane.port.js';
import { ExpiringClaims } from './expiring-claims.js';
import { publishedMessage } from './published-message.js';

/** How many recent messages per destination the in-process replay log keeps. */
export const LOCAL_LOG_CAPACITY = 1_000;
/** Dedupe keys kept at most; past it the oldest go first (a retry after that many others is published). */
const MAX_DEDUPE_KEYS = 100_000;

interface DestinationState {
  seq: number;
  /** Ring of the newest messages, oldest first once full. */
  log: PublishedMessage[];
}

/**
 * The in-process backplane of the embedded default: one instance, so sequencing is a counter
 * per destination and fan-out is a direct call. Delivery is synchronous, before publish()
 * resolves, which keeps MESSAGE frames ahead of the sender's RECEIPT as on Redis.
 */
export class LocalBackplane implements Backplane {
  private readonly listeners = new Map<string, MessageListener>();
  private readonly destinations = new Map<string, DestinationState>();
  private readonly controlListeners: ControlListener[] = [];
  private readonly published = new ExpiringClaims<PublishedMessage>(MAX_DEDUPE_KEYS);
  // A per-process prefix keeps message ids unique across restarts without a clock.
  private readonly idPrefix = randomBytes(4).toString('hex');
  private counter = 0;
  private closed = false;

  constructor(
    private readonly logCapacity = LOCAL_LOG_CAPACITY,
    /** Called with every sequenced message, after fan-out (the embedded persister's queue). */
    private readonly onSequenced: (message: PublishedMessage) => void = () => {},
  ) {}

  async publish(message: OutgoingMessage, options: PublishOptions = {}): Promise<PublishedMessage> {
    if (this.closed) throw new Error('backplane is closed');
    if (message.ephemeral === true) {
      const published = publishedMessage(message, this.nextId(), 0, Date.now());
      this.listeners.get(message.destination)?.(published);
      return published;
    }
    // A counter this process does not hold (first publish since start): raise it first. The
    // floor is asked outside the atomic part, so check again after it (another publish may have
    // created the counter meanwhile; raising is a max, so that is harmless).
    if (!this.destinations.has(message.destination) && options.sequenceFloor !== undefined) {
      const floor = await options.sequenceFloor();
      if (this.closed) throw new Error('backplane is closed');
      this.raise(message.destination, floor);
    }
    // From here on synchronous: the dedupe check and the publish are one step.
    const dedupeKey = options.dedupe === undefined ? undefined : `${message.destination}\n${options.dedupe.key}`;
    const now = Date.now();
    const original = dedupeKey === undefined ? undefined : this.published.holder(dedupeKey, now);
    if (original !== undefined) return publishedMessage(message, original.id, original.seq, original.publishedAt, true);
    const state = this.state(message.destination);
    const published = publishedMessage(message, this.nextId(), ++state.seq, now);
    if (dedupeKey !== undefined) this.published.claim(dedupeKey, now, options.dedupe!.ttlMs, published);
    state.log.push(published);
    if (state.log.length > this.logCapacity) state.log.shift();
    this.listeners.get(message.destination)?.(published);
    this.onSequenced(published);
    return published;
  }

  raiseSequence(destination: string, atLeast: number): Promise<void> {
    this.raise(destination, atLeast);
    return Promise.resolve();
  }

  subscribe(destination: string, listener: MessageListener): Promise<void> {
    this.listeners.set(destination, listener);
    return Promise.resolve();
  }

  unsubscribe(destination: string): Promise<void> {
    this.listeners.delete(destination);
    return Promise.resolve();
  }

  readRecent(destination: string, afterSeq: number, limit: number): Promise<RecentMessages> {
    const state = this.destinations.get(destination);
    if (state === undefined) return Promise.resolve({ messages: [], complete: true, lastSeq: 0 });
    const oldest = state.log[0]?.seq ?? state.seq + 1;
    const messages = state.log.filter((message) => message.seq > afterSeq).slice(0, limit);
    return Promise.resolve({ messages, complete: afterSeq + 1 >= oldest, lastSeq: state.seq });
  }

  publishControl(event: ControlEvent): Promise<void> {
    for (const listener of this.controlListeners) listener(event);
    return Promise.resolve();
  }

  onControl(listener: ControlListener): void {
    this.controlListeners.push(listener);
  }

  /** In-process: there is no connection to lose, so nothing to re-check. */
  beforeResume(): void {}

  ping(): Promise<void> {
    return this.closed ? Promise.reject(new Error('backplane is closed')) : Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    return Promise.resolve();
  }

  private raise(destination: string, atLeast: number): void {
    const state = this.state(destination);
    state.seq = Math.max(state.seq, Math.floor(atLeast));
  }

  private nextId(): string {
    return `${this.idPrefix}-${++this.counter}`;
  }

  private state(destination: string): DestinationState {
    let state = this.destinations.get(destination);
    if (state === undefined) {
      state = { seq: 0, log: [] };
      this.destinations.set(destination, state);
    }
    return state;
  }
}
