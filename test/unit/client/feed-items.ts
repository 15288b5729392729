import type { FeedItem } from '../../../client/src/room-feed.js';

/** A chat message item of room `r` for the client unit tests. */
export function messageItem(seq: number, body = `#${seq}`, source: 'live' | 'replay' | 'history' = 'live'): FeedItem {
  const event = { roomId: 'r', seq, id: `m${seq}`, senderId: 'u', sender: 'ann', contentType: 'text/plain' };
  return { type: 'message', seq, event: { ...event, body, sentAt: '', source } };
}
