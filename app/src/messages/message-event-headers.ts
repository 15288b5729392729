import type { MessageEventKind } from './store/stored-message.js';

/**
 * The headers that make a MESSAGE on /topic/rooms.{roomId} an edit or delete event rather than
 * a chat message. Only the server publishes on room topics, and RoomMessageHandler copies no
 * client header besides content-type and x-client-msg-id, so a client cannot dress a message
 * up as an event.
 */
export const EVENT_HEADER = 'x-event';
/** The seq of the message an event changes; also what a client names on SEND …edit/…delete. */
export const TARGET_SEQ_HEADER = 'x-target-seq';

export const EVENT_KINDS: readonly MessageEventKind[] = ['edit', 'delete'];

export function isEventKind(value: string | undefined): value is MessageEventKind {
  return (EVENT_KINDS as readonly string[]).includes(value ?? '');
}

/** A sequence number as text: decimal digits only, 1 to 2^53 - 1; undefined otherwise. */
export function parseSeq(text: string | undefined): number | undefined {
  if (text === undefined || !/^[0-9]{1,16}$/.test(text)) return undefined;
  const seq = Number(text);
  return Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
}
