/**
 * The seam between instances. An implementation sequences, carries and keeps a short replay
 * log of messages, and carries control events; which local sockets receive a message is the
 * realtime layer's business (it reference-counts subscriptions so each instance subscribes a
 * destination once).
 */
export interface OutgoingMessage {
  readonly destination: string;
  /** MESSAGE headers besides destination/message-id/subscription/ack/x-seq, in order (content-type, user headers). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  /**
   * Ephemeral messages (typing indicators) are fanned out but get no sequence, are not kept
   * in the replay log and are not handed to the persister. Default false.
   */
  readonly ephemeral?: boolean;
}

export interface PublishedMessage extends OutgoingMessage {
  /** Unique across the cluster; becomes the STOMP `message-id`. */
  readonly id: string;
  /** Per-destination sequence: strictly increasing, no gaps, same order on every instance. 0 for ephemeral messages. */
  readonly seq: number;
  /** Epoch ms when the backplane sequenced it, for send-to-deliver latency and the stored record. */
  readonly publishedAt: number;
}

export type MessageListener = (message: PublishedMessage) => void;

/** What a replay read returns: oldest first. */
export interface RecentMessages {
  readonly messages: readonly PublishedMessage[];
  /**
   * True when the log still held every message after `afterSeq` (so `messages` has no gap at
   * its start); false when older messages were trimmed and the client must reload history.
   */
  readonly complete: boolean;
  /** The destination's latest sequence when read (0 if nothing was ever published). */
  readonly lastSeq: number;
}

/** Cluster-wide control events: cache invalidation, closing a user's sessions, … */
export interface ControlEvent {
  readonly type: string;
  readonly [field: string]: string | number | boolean;
}

export type ControlListener = (event: ControlEvent) => void;

export interface Backplane {
  /**
   * Sequences the message, appends it to the destination's capped replay log and fans it out,
   * as one atomic step. Resolves once that is done (on Redis: durable in Redis).
   */
  publish(message: OutgoingMessage): Promise<PublishedMessage>;
  /**
   * Makes the destination's next sequence greater than `atLeast` (and than anything in its
   * replay log). Called once per destination and instance before its first publish, with the
   * newest sequence the message store holds, so a backplane that lost its counters (a restart
   * of the embedded default, a Redis that lost its keys) never hands out a number already used.
   */
  raiseSequence(destination: string, atLeast: number): Promise<void>;
  /**
   * Claims `key` within `destination` for `ttlMs`, cluster-wide: true for the first claim,
   * false while it is held. Used to drop a client's retry of a message it already sent
   * (x-client-msg-id), whichever instance the retry reaches.
   */
  claimOnce(destination: string, key: string, ttlMs: number): Promise<boolean>;
  /** Gives a claim back, e.g. when the message it guarded could not be published. */
  releaseClaim(destination: string, key: string): Promise<void>;
  /** Deliver every later message of `destination` to `listener`; one listener per destination. */
  subscribe(destination: string, listener: MessageListener): Promise<void>;
  unsubscribe(destination: string): Promise<void>;
  /** Messages with seq > afterSeq from the replay log, oldest first, at most `limit`. */
  readRecent(destination: string, afterSeq: number, limit: number): Promise<RecentMessages>;
  /** Sends a control event to every instance, this one included. */
  publishControl(event: ControlEvent): Promise<void>;
  onControl(listener: ControlListener): void;
  /**
   * After this instance lost and regained its connection to the other instances, nothing is
   * delivered again (control events excepted) until `check` settles: the access layer re-reads
   * the revocations it may have missed meanwhile. Never called by a backplane that cannot lose
   * its connection (in-process).
   */
  beforeResume(check: () => Promise<void>): void;
  /** Throws when the backplane cannot serve (readiness check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Nest injection token for the Backplane. */
export const BACKPLANE = Symbol('Backplane');
