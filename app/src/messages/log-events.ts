import type { Backplane } from '../backplane/backplane.port.js';
import { roomTopic } from '../rooms/room-destinations.js';
import { roomMessageOf } from './store/room-message-of.js';
import { isMessageEvent, type StoredMessage } from './store/stored-message.js';

/**
 * The most replay-log entries one look-up reads. The log is capped (1,000 per room by default:
 * the in-process log, and REDIS_LOG_MAX_LENGTH on Redis), so normally this reads the whole
 * rest of the log; the cap only bounds the cost when Redis is configured with a much longer log.
 */
export const LOG_EVENT_SCAN_LIMIT = 10_000;

/**
 * The edit and delete events of a room that its replay log holds after `afterSeq`, oldest
 * first. The log is immutable: a message in it is as first published, and its events follow it
 * there (an event always has a higher seq than its target). So these are the events that a
 * message at or above `afterSeq` has had, as far as the log reaches, including ones the
 * persister has not stored yet. Throws when the log cannot be read.
 */
export async function logEventsAfter(backplane: Backplane, roomId: string, afterSeq: number): Promise<StoredMessage[]> {
  const read = await backplane.readRecent(roomTopic(roomId), afterSeq, LOG_EVENT_SCAN_LIMIT);
  return read.messages.flatMap((published) => {
    const stored = roomMessageOf(published);
    return stored !== undefined && isMessageEvent(stored.kind) ? [stored] : [];
  });
}
