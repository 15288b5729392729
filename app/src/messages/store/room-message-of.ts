import type { PublishedMessage } from '../../backplane/backplane.port.js';
import { roomIdOfTopic } from '../../rooms/room-destinations.js';
import { isEventKind, parseSeq, readRoomMessageHeaders } from '../room-message-wire.js';
import { STORED_TEXT_LIMITS, type MessageKind, type StoredMessage } from './stored-message.js';

/** Used when a message carries no content-type at all (room messages always do). */
const UNKNOWN_CONTENT_TYPE = 'application/octet-stream';

/**
 * The stored form of a published message when it is a room message or event
 * (`/topic/rooms.{roomId}`, as RoomMessageHandler and MessageChanges publish them), else
 * undefined: only those are kept. Sender and client id come from the headers the server set;
 * `x-event` and `x-target-seq` make it an edit or delete event; text is clipped to the store's
 * column sizes (see STORED_TEXT_LIMITS).
 */
export function roomMessageOf(message: PublishedMessage): StoredMessage | undefined {
  const roomId = roomIdOfTopic(message.destination);
  if (roomId === undefined || message.seq <= 0) return undefined;
  const {
    contentType,
    senderId,
    senderName,
    clientMsgId,
    event,
    targetSeq: seqText,
  } = readRoomMessageHeaders(message.headers);
  const targetSeq = parseSeq(seqText);
  // Only the server publishes here, so a malformed event cannot happen; were one to, it is kept
  // as a plain message rather than refused, because nothing may hold up the persister.
  const isEvent = isEventKind(event) && targetSeq !== undefined && targetSeq < message.seq;
  const kind: MessageKind = isEvent ? event : 'message';
  return {
    id: message.id,
    roomId,
    seq: message.seq,
    kind,
    targetSeq: isEvent ? targetSeq : null,
    senderId: clip(senderId ?? '', STORED_TEXT_LIMITS.senderId),
    senderName: clip(senderName ?? '', STORED_TEXT_LIMITS.senderName),
    contentType: clip(contentType ?? UNKNOWN_CONTENT_TYPE, STORED_TEXT_LIMITS.contentType),
    body: message.body,
    clientMsgId:
      clientMsgId === undefined || clientMsgId === '' ? null : clip(clientMsgId, STORED_TEXT_LIMITS.clientMsgId),
    createdAt: new Date(message.publishedAt),
    editedAt: null,
    deletedAt: null,
  };
}

/** At most `max` characters, cut between code points (never half a surrogate pair). */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join('');
}
