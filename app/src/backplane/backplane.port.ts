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
  /**
   * True when publish() did not publish because its dedupe key was already taken: id, seq and
   * publishedAt are then the original message's (headers and body are the ones passed in).
   */
  readonly duplicate?: boolean;
}

/**
 * Options of one publish.
 *
 * Sequence floor. A backplane may lose its counters (the embedded default restarts; Redis
 * restarts empty or fails over to a replica that had not received the latest writes). Before it
 * hands out a number for a destination whose counter it does not hold, it calls `sequenceFloor`
 * (once; callers bound it) and continues above the greatest of that floor, its replay log's
 * newest entry and the newest sequence this instance saw for the destination (delivered to its
 * subscription or returned by its own publishes). The counter is held from then on, so the floor
 * is asked for only after a loss (or on a destination's very first publish). When
 * `sequenceFloor` rejects, publish rejects with that error and publishes nothing. Without it the
 * floor is the log and this instance's knowledge alone.
 *
 * Dedupe. With `dedupe`, the check and the publish are one atomic step: if a message with the
 * same key was published to the destination within `ttlMs`, nothing is published and the
 * original's id/seq/publishedAt come back with `duplicate: true`; otherwise the message is
 * published and the key is recorded in the same step. There is never a key without its message,
 * so a crash at any point leaves either both or neither. (This replaced claimOnce/releaseClaim.)
 */
export interface PublishOptions {
  readonly sequenceFloor?: () => Promise<number>;
  readonly dedupe?: { readonly key: string; readonly ttlMs: number };
  /**
   * The destination's counter and replay log are forgotten this long after its newest message
   * (a backplane that keeps them outside the process; the in-process one keeps a bounded log per
   * destination). A destination published to again after that starts above what this instance
   * still knows of it, else from 1. Absent: kept until the log trims them (room topics).
   */
  readonly retentionMs?: number;
  /**
   * Called once the message's place in its destination's order is fixed and it is on its way,
   * when that comes before publish resolves (RabbitMQ: sequenced in Redis and handed to the
   * channel, the publisher confirm still to come). A caller that keeps its own publishes in
   * order may start the next one then, so several await their durability at once. Backplanes
   * whose publish is done in one step need not call it: resolving says the same. Never called
   * for a publish that fails before that point.
   */
  readonly onOrdered?: () => void;
  /**
   * Who sends (a STOMP session's id), with `onOrdered`: a backplane that calls onOrdered before
   * the message has its sequence (Redis: once the script is written) keeps each group's publishes
   * to a destination in the order they were made, whatever fails or is resent among them.
   */
  readonly orderGroup?: string;
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
   * as one atomic step (with the dedupe check when asked, see PublishOptions). Resolves once that
   * is done: on Redis, in Redis's memory, and also on the configured number of replicas when
   * receipts wait for replicas (docs/guarantees.md).
   *
   * Failures a client should answer by reconnecting (the backplane cannot be reached, or did not
   * confirm in time) reject with AppError `BACKPLANE_UNAVAILABLE` (or `BACKPLANE_UNREPLICATED`
   * when the message was published but no replica confirmed it in time).
   */
  publish(message: OutgoingMessage, options?: PublishOptions): Promise<PublishedMessage>;
  /** True when publish may call PublishOptions.onOrdered before it resolves (worth pipelining for). */
  readonly ordersBeforeDone?: boolean;
  /**
   * Makes the destination's next sequence greater than `atLeast` (and than anything in its
   * replay log); never lowers it.
   */
  raiseSequence(destination: string, atLeast: number): Promise<void>;
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
