import { describe, expect, it } from '@jest/globals';
import type { FeedItem } from '../../../client/src/room-feed.js';
import { RoomModel } from '../../../client/web/room-model.js';
import { messageItem as message } from './feed-items.js';

const edit = (seq: number, targetSeq: number, body: string): FeedItem => ({
  type: 'edit',
  seq,
  event: { roomId: 'r', seq, targetSeq, body, contentType: 'text/plain', editorId: 'u', editor: 'ann', at: '' },
});
const remove = (seq: number, targetSeq: number): FeedItem => ({
  type: 'delete',
  seq,
  event: { roomId: 'r', seq, targetSeq, deleterId: 'u', deleter: 'ann', at: '' },
});

describe('RoomModel (the page’s view of a room)', () => {
  it('shows each message once, oldest first, with its latest edit', () => {
    const room = new RoomModel('r', 'general');
    expect(room.apply(message(2, 'two'))).toBe(true);
    expect(room.apply(message(1, 'one'))).toBe(true);
    expect(room.apply(message(2, 'two'))).toBe(false);
    room.apply(edit(3, 1, 'one, edited'));
    expect(room.ordered().map((m) => [m.seq, m.body, m.edited])).toEqual([
      [1, 'one, edited', true],
      [2, 'two', false],
    ]);
    expect(room.lastSeq).toBe(3);
  });

  it('applies a change that arrived before its message (an older page loaded later), and a delete wins', () => {
    const room = new RoomModel('r', 'general');
    room.apply(remove(9, 4));
    room.apply(edit(8, 4, 'too late'));
    room.apply(message(4, 'four'));
    expect(room.ordered().map((m) => [m.body, m.deleted])).toEqual([['', true]]);
  });
});
