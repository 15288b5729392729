import type { StoredMessage } from './stored-message.js';

/** A page request: messages with after < seq < before, newest first, at most `limit`. */
export interface MessagePageQuery {
  /** Only messages older than this seq (exclusive). */
  readonly before?: number;
  /** Only messages newer than this seq (exclusive). */
  readonly after?: number;
  readonly limit: number;
}

/**
 * Why a message of a batch was not stored although the write succeeded:
 * - `seq-taken`: another message (another id) already holds its (roomId, seq). The room's
 *   sequence was reused, e.g. by a backplane that lost its counters; the store keeps the first.
 * - `client-msg-id-taken`: the sender already has a stored message with this x-client-msg-id in
 *   the room, i.e. a client's retry that was published twice; the store keeps the first.
 */
export type RejectionReason = 'seq-taken' | 'client-msg-id-taken';

export interface RejectedMessage {
  readonly message: StoredMessage;
  readonly reason: RejectionReason;
}

export interface SaveBatchResult {
  /** Messages of the batch that are in the store now, written by this call or by an earlier try. */
  readonly stored: number;
  readonly rejected: readonly RejectedMessage[];
}

/**
 * Where room messages are kept for history. Writes come only from the write-behind persister,
 * which may hand the same batch over again after a crash or a timeout, and several instances
 * may persist at once; so saveBatch is idempotent: a message already stored (same id) is
 * neither written again nor an error. Uniqueness holds on (roomId, seq) and on
 * (roomId, senderId, clientMsgId) for messages that have a clientMsgId.
 *
 * Edit and delete events (kind `edit`/`delete`, with `targetSeq`) are stored as rows of their
 * own like messages, and saveBatch also applies them to their targets by the rules of
 * event-effects.ts. A target's state is derived from the set of its stored events, so it does
 * not matter whether an event and its target share a batch, in which order, whether a batch is
 * written twice, or whether an event is written before its target (two persisters, a claimed
 * batch): the target ends up the same. An event whose target is not stored (yet) is kept and
 * applied when the target arrives.
 */
export interface MessageStore {
  /**
   * Stores what is not stored yet and applies the batch's events (and stored events whose target
   * is in the batch). Rejects only when the store could not be written (then nothing may be
   * assumed stored or applied; the retry does both).
   */
  saveBatch(messages: readonly StoredMessage[]): Promise<SaveBatchResult>;
  /** One page of a room's messages, newest first. */
  page(roomId: string, query: MessagePageQuery): Promise<StoredMessage[]>;
  get(roomId: string, seq: number): Promise<StoredMessage | null>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  /** Releases connections the store owns (not a shared DataSource). */
  close(): Promise<void>;
}

/** Nest injection token for the MessageStore. */
export const MESSAGE_STORE = Symbol('MessageStore');
