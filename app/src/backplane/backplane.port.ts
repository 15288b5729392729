/**
 * The seam between instances. An implementation only sequences, carries and replays messages;
 * which local sockets receive them is the realtime layer's business (it reference-counts
 * subscriptions so each instance subscribes a destination once).
 */
export interface OutgoingMessage {
  readonly destination: string;
  /** MESSAGE headers besides destination/message-id/subscription/ack, in order (content-type, user headers). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
}

export interface PublishedMessage extends OutgoingMessage {
  /** Unique across the cluster; becomes the STOMP `message-id`. */
  readonly id: string;
  /** Per-destination sequence: strictly increasing, no gaps, same order on every instance. */
  readonly seq: number;
  /** Epoch ms when the backplane sequenced it, for send-to-deliver latency. */
  readonly publishedAt?: number;
}

export type MessageListener = (message: PublishedMessage) => void;

export interface Backplane {
  /** Resolves once the message is sequenced (and, where the implementation can, durable). */
  publish(message: OutgoingMessage): Promise<PublishedMessage>;
  /** Deliver every later message of `destination` to `listener`; one listener per destination. */
  subscribe(destination: string, listener: MessageListener): Promise<void>;
  unsubscribe(destination: string): Promise<void>;
  close(): Promise<void>;
}

/** Nest injection token for the Backplane. */
export const BACKPLANE = Symbol('Backplane');
