import type { Principal } from '../realtime/auth/principal.js';
import type { ReservedHeaders } from '../realtime/server-owned-headers.js';
import { ROOM_ID_HEADER } from '../rooms/room-destinations.js';
import type { MessageEventKind } from './store/stored-message.js';

/**
 * The wire format of a MESSAGE on a room's topic, in one place: the headers the server stamps
 * on messages and on edit/delete events, and reading them back (persister, history, changes).
 * Only the server publishes on room topics, and the room handler copies no client header
 * besides content-type and x-client-msg-id, so a client can neither forge a sender nor dress a
 * message up as an event.
 */
export const SENDER_ID_HEADER = 'x-sender-id';
export const SENDER_HEADER = 'x-sender';
export const SERVER_TS_HEADER = 'x-server-ts';
/** The client's own id for a message, kept for retries (the one client header that travels on). */
export const CLIENT_MSG_ID_HEADER = 'x-client-msg-id';
/** Makes a MESSAGE an edit or delete event rather than a chat message. */
export const EVENT_HEADER = 'x-event';
/** The seq of the message an event changes; also what a client names on SEND …edit/…delete. */
export const TARGET_SEQ_HEADER = 'x-target-seq';

export const DEFAULT_CONTENT_TYPE = 'text/plain;charset=utf-8';

/**
 * What the realtime layer strips from every client SEND, whatever its case, because this domain
 * gives it meaning: the stamp and event headers (and their families), and the room an ERROR names.
 */
export const ROOM_RESERVED_HEADERS: ReservedHeaders = {
  names: [SENDER_HEADER, SENDER_ID_HEADER, SERVER_TS_HEADER, EVENT_HEADER, TARGET_SEQ_HEADER, ROOM_ID_HEADER],
  prefixes: [SENDER_HEADER, 'x-server'],
};

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

/** The headers of a chat message: its content type, the server's stamp, the client's id if any. */
export function messageHeaders(
  sender: Principal,
  contentType: string,
  clientMsgId: string | undefined,
): Array<[string, string]> {
  const headers: Array<[string, string]> = [['content-type', contentType]];
  stamp(headers, sender);
  if (clientMsgId !== undefined) headers.push([CLIENT_MSG_ID_HEADER, clientMsgId]);
  return headers;
}

/** The headers of an edit (with the new body's content type) or delete of message `targetSeq`. */
export function eventHeaders(
  changer: Principal,
  action: MessageEventKind,
  targetSeq: number,
  contentType: string | undefined,
): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  if (contentType !== undefined) headers.push(['content-type', contentType]);
  headers.push([EVENT_HEADER, action], [TARGET_SEQ_HEADER, String(targetSeq)]);
  stamp(headers, changer);
  return headers;
}

/** Who sent it and when, as the server saw it (clients cannot forge these). */
function stamp(headers: Array<[string, string]>, sender: Principal): void {
  headers.push(
    [SENDER_ID_HEADER, sender.userId],
    [SENDER_HEADER, sender.username],
    [SERVER_TS_HEADER, new Date().toISOString()],
  );
}

/** A room MESSAGE's headers read back, as published (undefined: absent). */
export interface RoomMessageHeaders {
  contentType: string | undefined;
  senderId: string | undefined;
  senderName: string | undefined;
  clientMsgId: string | undefined;
  event: string | undefined;
  targetSeq: string | undefined;
}

/** Reads the room message headers in one pass; the first of a repeated header counts, as in STOMP. */
export function readRoomMessageHeaders(headers: ReadonlyArray<readonly [string, string]>): RoomMessageHeaders {
  const read: RoomMessageHeaders = {
    contentType: undefined,
    senderId: undefined,
    senderName: undefined,
    clientMsgId: undefined,
    event: undefined,
    targetSeq: undefined,
  };
  for (const [name, value] of headers) {
    const field = FIELD_OF_HEADER.get(name);
    if (field !== undefined && read[field] === undefined) read[field] = value;
  }
  return read;
}

const FIELD_OF_HEADER = new Map<string, keyof RoomMessageHeaders>([
  ['content-type', 'contentType'],
  [SENDER_ID_HEADER, 'senderId'],
  [SENDER_HEADER, 'senderName'],
  [CLIENT_MSG_ID_HEADER, 'clientMsgId'],
  [EVENT_HEADER, 'event'],
  [TARGET_SEQ_HEADER, 'targetSeq'],
]);
