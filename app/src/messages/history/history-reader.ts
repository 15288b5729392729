import type { Backplane, RecentMessages } from '../../backplane/backplane.port.js';
import { AppError } from '../../errors/app-error.js';
import { roomTopic } from '../../rooms/room-destinations.js';
import { logEventsAfter } from '../log-events.js';
import type { Log } from '../../ops/log.port.js';
import { applyEffects, effectsByTarget } from '../store/event-effects.js';
import type { MessageStore } from '../store/message-store.port.js';
import { roomMessageOf } from '../store/room-message-of.js';
import type { StoredMessage } from '../store/stored-message.js';

export const HISTORY_DEFAULT_LIMIT = 50;
export const HISTORY_MAX_LIMIT = 200;

export interface HistoryQuery {
  /** Messages older than this seq (exclusive); absent = from the newest. */
  readonly before?: number;
  /** Messages newer than this seq (exclusive). */
  readonly after?: number;
  readonly limit: number;
}

export interface HistoryPage {
  /**
   * Newest first, no gaps beyond those the store explains (docs/messages-and-history.md), no
   * duplicates. Messages show their latest edit or are tombstones; edit and delete events are
   * items of their own.
   */
  readonly messages: readonly StoredMessage[];
  /** Pass as `before` for the next (older) page; null when this page reached the start (or `after`). */
  readonly nextBefore: number | null;
}

/**
 * Reads a room's history, newest first, from two sources that overlap in time:
 * - the backplane's replay log holds the newest messages (about the last 1,000 per room),
 *   including ones the write-behind persister has not stored yet;
 * - the store holds everything the persister has written, which is all but the newest.
 *
 * A page is taken from the log as far as the log reaches, and continued from the store strictly
 * below the oldest message the log gave, so the two parts never overlap and meet without a gap
 * (the log is contiguous). A page the log covers entirely never touches the store. When the log
 * holds nothing of the window (it is empty after the in-process backplane restarts, or the
 * window is older than the log), the page comes from the store alone.
 *
 * Then the page is brought up to date with the edits and deletions still in the log (overlay).
 */
export class HistoryReader {
  constructor(
    private readonly backplane: Backplane,
    private readonly store: MessageStore,
    private readonly log: Pick<Log, 'warn'>,
  ) {}

  async page(roomId: string, query: HistoryQuery): Promise<HistoryPage> {
    const lower = query.after ?? 0;
    let fromLog: { recent: StoredMessage[]; storeBefore: number | undefined; complete: boolean };
    let logReadable = true;
    try {
      fromLog = await this.fromLog(roomId, query);
    } catch (error) {
      // The log is the backplane's: without it the store still answers for what it holds.
      this.log.warn({ err: error, roomId }, 'history: replay log unavailable, reading the store only');
      fromLog = { recent: [], storeBefore: query.before, complete: false };
      logReadable = false;
    }
    const { recent, storeBefore, complete } = fromLog;
    const newestFirst = [...recent].reverse();
    const needed = query.limit - newestFirst.length;
    if (!complete && needed > 0)
      newestFirst.push(...(await this.fromStore(roomId, { before: storeBefore, after: query.after, limit: needed })));
    const oldest = newestFirst.at(-1);
    const more = newestFirst.length === query.limit && oldest !== undefined && oldest.seq > lower + 1;
    const messages = logReadable ? await this.overlay(roomId, newestFirst) : newestFirst;
    return { messages, nextBefore: more ? oldest.seq : null };
  }

  /**
   * Applies the edit and delete events in the replay log to the page. The log part of a page is
   * immutable (messages as first published), and the store part reflects only the events the
   * persister has written; the events that are missing from either are all in the log, because
   * an event comes after its target and the persister trails the log's newest end. So every event
   * the log holds after the page's oldest item is applied. Applying one that a stored row already
   * reflects changes nothing (event-effects.ts), so which of them are persisted does not matter.
   *
   * Cost: one more log read per page, bounded by the log's length (LOG_EVENT_SCAN_LIMIT at most):
   * events may target any message, and only reading the log says which. If the log cannot be read
   * the page is returned as the store has it (the store applies what it holds).
   */
  private async overlay(roomId: string, page: StoredMessage[]): Promise<StoredMessage[]> {
    const oldest = page.at(-1);
    if (oldest === undefined) return page;
    let events: StoredMessage[];
    try {
      events = await logEventsAfter(this.backplane, roomId, oldest.seq);
    } catch (error) {
      this.log.warn(
        { err: error, roomId },
        'history: replay log unavailable, edits and deletions not yet stored are not shown',
      );
      return page;
    }
    if (events.length === 0) return page;
    const effects = effectsByTarget(events);
    return page.map((item) => applyEffects(item, effects));
  }

  /**
   * The newest part of the page the replay log can give, oldest first; `complete` when the log
   * covered the whole page, else where the store must continue (`storeBefore`, exclusive).
   */
  private async fromLog(
    roomId: string,
    query: HistoryQuery,
  ): Promise<{ recent: StoredMessage[]; storeBefore: number | undefined; complete: boolean }> {
    const destination = roomTopic(roomId);
    const lower = query.after ?? 0;
    // Exclusive upper bound of the window: `before`, never beyond the room's latest message.
    let top = query.before ?? (await this.backplane.readRecent(destination, Number.MAX_SAFE_INTEGER, 0)).lastSeq + 1;
    let read = top - 1 > lower ? await this.readWindow(destination, lower, top, query.limit) : undefined;
    if (read !== undefined && read.lastSeq + 1 < top) {
      top = read.lastSeq + 1;
      read = top - 1 > lower ? await this.readWindow(destination, lower, top, query.limit) : undefined;
    }
    // Nothing of the window is in the log: the store answers for all of it.
    if (read === undefined) return { recent: [], storeBefore: query.before, complete: false };
    const recent = read.messages
      .filter((message) => message.seq < top)
      .flatMap((message) => roomMessageOf(message) ?? []);
    // complete: the log holds every message of (from, top), which is the whole page.
    if (read.complete) return { recent, storeBefore: undefined, complete: true };
    return { recent, storeBefore: recent[0]?.seq ?? top, complete: false };
  }

  /** The newest `limit` messages below `top` and above `lower` that the log holds. */
  private readWindow(destination: string, lower: number, top: number, limit: number): Promise<RecentMessages> {
    return this.backplane.readRecent(destination, Math.max(lower, top - 1 - limit), limit);
  }

  private async fromStore(roomId: string, query: HistoryQuery): Promise<StoredMessage[]> {
    try {
      return await this.store.page(roomId, query);
    } catch (error) {
      this.log.warn({ err: error, roomId }, 'history: message store unavailable');
      throw new AppError('HISTORY_UNAVAILABLE', 'older messages are temporarily unavailable; try again shortly');
    }
  }
}
