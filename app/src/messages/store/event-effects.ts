import { isMessageEvent, type StoredMessage } from './stored-message.js';

/**
 * What a message's edit and delete events add up to. The rules depend only on which events
 * exist, never on the order they are seen in, so a store can apply them batch by batch, again
 * after a replay, or with an event written before its target, and always end up the same:
 *
 * - a message shows its latest edit (the edit event with the highest seq): that body and
 *   content type, and `editedAt` = the edit's createdAt;
 * - a delete is final: the body is emptied (a tombstone) and `deletedAt` = the first delete's
 *   createdAt; the edit events of a deleted message lose their bodies too, so its content is
 *   gone from history, not only from the message. Edits sequenced after a delete (two requests
 *   that raced) still only touch `editedAt` and the content type of the tombstone.
 *
 * The SQL and MongoDB stores implement the same rules with queries; this is the reference the
 * history overlay and the edit/delete checks use on events still in the replay log.
 */
export interface TargetEffects {
  readonly latestEdit: StoredMessage | undefined;
  readonly firstDelete: StoredMessage | undefined;
}

/** The effects of the given events (any order, duplicates allowed), by target seq. */
export function effectsByTarget(events: Iterable<StoredMessage>): Map<number, TargetEffects> {
  const effects = new Map<number, TargetEffects>();
  for (const event of events) {
    if (event.targetSeq === null || event.kind === 'message') continue;
    const current = effects.get(event.targetSeq) ?? { latestEdit: undefined, firstDelete: undefined };
    if (event.kind === 'edit' && (current.latestEdit === undefined || event.seq > current.latestEdit.seq)) {
      effects.set(event.targetSeq, { ...current, latestEdit: event });
    } else if (event.kind === 'delete' && (current.firstDelete === undefined || event.seq < current.firstDelete.seq)) {
      effects.set(event.targetSeq, { ...current, firstDelete: event });
    } else {
      effects.set(event.targetSeq, current);
    }
  }
  return effects;
}

const EMPTY = Buffer.alloc(0);

/**
 * A row of the room with the effects applied: a message gets its latest edit and tombstone, an
 * edit event of a deleted message loses its body, anything else is returned as it is. Applying
 * effects a row already reflects changes nothing, so rows read from the store (which applied the
 * events it holds) can be overlaid with events that may or may not be stored yet.
 */
export function applyEffects(row: StoredMessage, effects: ReadonlyMap<number, TargetEffects>): StoredMessage {
  if (row.kind === 'edit' && row.targetSeq !== null && effects.get(row.targetSeq)?.firstDelete !== undefined) {
    return row.body.length === 0 ? row : { ...row, body: EMPTY };
  }
  if (row.kind !== 'message') return row;
  const { latestEdit, firstDelete } = effects.get(row.seq) ?? { latestEdit: undefined, firstDelete: undefined };
  if (latestEdit === undefined && firstDelete === undefined) return row;
  const edited =
    latestEdit === undefined
      ? row
      : { ...row, body: latestEdit.body, contentType: latestEdit.contentType, editedAt: latestEdit.createdAt };
  const deletedAt = row.deletedAt ?? firstDelete?.createdAt ?? null;
  return deletedAt === null ? edited : { ...edited, body: EMPTY, deletedAt };
}

/** Which stored messages a batch may change: the targets of its events, and where its own messages lie. */
export class BatchEventScope {
  private readonly targetsByKey = new Map<string, { roomId: string; seq: number }>();
  /** Per room, the seq range of the batch's plain messages (an event stored earlier may target them). */
  readonly messageSeqRanges = new Map<string, { min: number; max: number }>();

  constructor(messages: readonly StoredMessage[]) {
    for (const message of messages) {
      if (isMessageEvent(message.kind)) {
        if (message.targetSeq !== null) this.addTarget(message.roomId, message.targetSeq);
        continue;
      }
      const range = this.messageSeqRanges.get(message.roomId);
      this.messageSeqRanges.set(message.roomId, {
        min: Math.min(range?.min ?? message.seq, message.seq),
        max: Math.max(range?.max ?? message.seq, message.seq),
      });
    }
  }

  addTarget(roomId: string, seq: number): void {
    this.targetsByKey.set(`${roomId}\n${seq}`, { roomId, seq });
  }

  get targets(): IterableIterator<{ roomId: string; seq: number }> {
    return this.targetsByKey.values();
  }
}
