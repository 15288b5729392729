import type { IMessage } from '@stomp/stompjs';
import type { PresenceEvent, TypingEvent } from './events.js';
import type { HistoryItem } from './rest-api.js';
import type { FeedItem } from './room-feed.js';

/** A MESSAGE on /topic/rooms.{roomId} as a feed item (message, edit or delete), or undefined if unreadable. */
export function feedItemFromFrame(roomId: string, frame: IMessage): FeedItem | undefined {
  const headers = frame.headers;
  const seq = Number(headers['x-seq']);
  if (!Number.isSafeInteger(seq) || seq <= 0) return undefined;
  const who = { id: headers['x-sender-id'] ?? '', name: headers['x-sender'] ?? '' };
  const at = headers['x-server-ts'] ?? '';
  const event = headers['x-event'];
  const targetSeq = Number(headers['x-target-seq']);
  if (event === 'edit') {
    const edit = {
      roomId,
      seq,
      targetSeq,
      body: frame.body,
      contentType: headers['content-type'] ?? 'text/plain;charset=utf-8',
      editorId: who.id,
      editor: who.name,
      at,
    };
    return { type: 'edit', seq, event: edit };
  }
  if (event === 'delete') {
    return { type: 'delete', seq, event: { roomId, seq, targetSeq, deleterId: who.id, deleter: who.name, at } };
  }
  const message = {
    roomId,
    seq,
    id: headers['message-id'] ?? '',
    senderId: who.id,
    sender: who.name,
    contentType: headers['content-type'] ?? 'text/plain;charset=utf-8',
    body: frame.body,
    ...(headers['x-client-msg-id'] === undefined ? {} : { clientMsgId: headers['x-client-msg-id'] }),
    sentAt: at,
    source: headers['x-replayed'] === 'true' ? ('replay' as const) : ('live' as const),
  };
  return { type: 'message', seq, event: message };
}

/** One REST history item as a feed item. */
export function feedItemFromHistory(roomId: string, item: HistoryItem): FeedItem {
  const seq = item.seq;
  if (item.kind === 'edit') {
    const edit = {
      roomId,
      seq,
      targetSeq: item.targetSeq ?? 0,
      body: item.body,
      contentType: item.contentType,
      editorId: item.senderId,
      editor: item.sender,
      at: item.createdAt,
    };
    return { type: 'edit', seq, event: edit };
  }
  if (item.kind === 'delete') {
    const at = item.createdAt;
    const event = { roomId, seq, targetSeq: item.targetSeq ?? 0, deleterId: item.senderId, deleter: item.sender, at };
    return { type: 'delete', seq, event };
  }
  const message = {
    roomId,
    seq,
    id: item.id,
    senderId: item.senderId,
    sender: item.sender,
    contentType: item.contentType,
    body: item.body,
    ...(item.clientMsgId === null ? {} : { clientMsgId: item.clientMsgId }),
    sentAt: item.createdAt,
    source: 'history' as const,
    editedAt: item.editedAt,
    deletedAt: item.deletedAt,
  };
  return { type: 'message', seq, event: message };
}

/** The JSON body of a typing or presence MESSAGE, or undefined if it is not one. */
export function ephemeralEvent(frame: IMessage): TypingEvent | PresenceEvent | undefined {
  try {
    const parsed = JSON.parse(frame.body) as { type?: unknown };
    if (parsed.type === 'typing') return parsed as unknown as TypingEvent;
    if (parsed.type === 'presence') return parsed as unknown as PresenceEvent;
  } catch {
    // Not JSON: not an event this SDK knows; ignore it rather than fail the session.
  }
  return undefined;
}
