import { describe, expect, it } from '@jest/globals';
import { ChatError } from '../../../client/src/errors.js';
import { RoomFeed } from '../../../client/src/room-feed.js';
import { messageItem } from './feed-items.js';

const item = (seq: number, source: 'live' | 'history' = 'live') => messageItem(seq, `#${seq}`, source);

/** A feed whose history holds `stored` seqs, recording what it delivers and the gaps it reports. */
function feed(lastSeq: number | undefined, stored: (after: number, before: number) => Promise<number[]>) {
  const delivered: number[] = [];
  const gaps: Array<[number, number, string]> = [];
  const fills: Array<[number, number]> = [];
  const room = new RoomFeed('r', lastSeq, {
    fill: async (after, before) => {
      fills.push([after, before]);
      return (await stored(after, before)).map((seq) => item(seq, 'history'));
    },
    deliver: (fed) => delivered.push(fed.seq),
    gap: (after, before, error: ChatError) => gaps.push([after, before, error.code]),
  });
  return { room, delivered, gaps, fills };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
const between = (after: number, before: number) =>
  Promise.resolve(Array.from({ length: before - after - 1 }, (_, index) => after + 1 + index));

describe('RoomFeed', () => {
  it('delivers in order and drops what it already delivered (replay overlapping live)', async () => {
    const { room, delivered, fills } = feed(3, between);
    for (const seq of [4, 5, 4, 3, 5, 6]) room.push(item(seq));
    await settle();
    expect(delivered).toEqual([4, 5, 6]);
    expect(fills).toEqual([]);
  });

  it('fills a gap from history before delivering what comes after it, and holds later items meanwhile', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { room, delivered, fills } = feed(10, async (after, before) => {
      await gate;
      return between(after, before);
    });
    room.push(item(15));
    room.push(item(16));
    await settle();
    expect(delivered).toEqual([]);
    release();
    await settle();
    expect(fills).toEqual([[10, 15]]);
    expect(delivered).toEqual([11, 12, 13, 14, 15, 16]);
  });

  it('takes the first item as the start when nothing was known', async () => {
    const { room, delivered } = feed(undefined, between);
    room.push(item(42));
    room.push(item(43));
    await settle();
    expect(delivered).toEqual([42, 43]);
  });

  it('reports what history could not give and carries on', async () => {
    const down = feed(1, () => Promise.reject(new ChatError('HISTORY_UNAVAILABLE', 'store down')));
    down.room.push(item(5));
    await settle();
    expect(down.gaps).toEqual([[1, 5, 'HISTORY_UNAVAILABLE']]);
    expect(down.delivered).toEqual([5]);

    const partial = feed(1, async () => [2, 3]);
    partial.room.push(item(6));
    await settle();
    expect(partial.delivered).toEqual([2, 3, 6]);
    expect(partial.gaps).toEqual([[3, 6, 'HISTORY_UNAVAILABLE']]);
  });

  it('delivers nothing after close()', async () => {
    const { room, delivered } = feed(0, between);
    room.close();
    room.push(item(1));
    await settle();
    expect(delivered).toEqual([]);
  });
});
