import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { Backplane, PublishedMessage } from '../../../app/src/backplane/backplane.port.js';
import { LocalBackplane } from '../../../app/src/backplane/local-backplane.js';
import { AppError } from '../../../app/src/errors/app-error.js';
import { HistoryReader, type HistoryQuery } from '../../../app/src/messages/history/history-reader.js';
import { LOG_EVENT_SCAN_LIMIT } from '../../../app/src/messages/log-events.js';
import { roomMessageOf } from '../../../app/src/messages/store/room-message-of.js';
import { FakeMessageStore } from './fake-message-store.js';

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
const newestFirst = (from: number, to: number) => range(from, to).reverse();

/**
 * A room whose newest `logCapacity` messages are in the replay log and whose oldest `persisted`
 * are in the store: the two overlap when the persister is up to date, and leave nothing
 * uncovered as long as persisted >= sent - logCapacity.
 */
async function room(options: { sent: number; logCapacity: number; persisted: number }) {
  const roomId = randomUUID();
  const backplane = new LocalBackplane(options.logCapacity);
  const store = new FakeMessageStore();
  const published: PublishedMessage[] = [];
  for (let i = 1; i <= options.sent; i++) {
    published.push(
      await backplane.publish({
        destination: `/topic/rooms.${roomId}`,
        headers: [['x-sender-id', 'u']],
        body: Buffer.from(`m${i}`),
      }),
    );
  }
  await store.saveBatch(published.slice(0, options.persisted).map((message) => roomMessageOf(message)!));
  const warnings: string[] = [];
  const reader = new HistoryReader(backplane, store, { warn: (_fields, message) => warnings.push(message) });
  const page = async (query: Partial<HistoryQuery> = {}) => {
    const result = await reader.page(roomId, { limit: 10, ...query });
    return { seqs: result.messages.map((message) => message.seq), nextBefore: result.nextBefore };
  };
  return { roomId, backplane, store, reader, page, warnings };
}

describe('HistoryReader: replay log and store merged', () => {
  it('serves a page the log covers from the log alone, even while the store is down', async () => {
    const { store, page } = await room({ sent: 30, logCapacity: 20, persisted: 0 });
    store.failing = new Error('store down');
    expect(await page()).toEqual({ seqs: newestFirst(21, 30), nextBefore: 21 });
    expect(await page({ before: 21 })).toEqual({ seqs: newestFirst(11, 20), nextBefore: 11 });
    expect(store.reads).toBe(0);
  });

  it('includes messages the persister has not stored yet', async () => {
    const { page } = await room({ sent: 8, logCapacity: 20, persisted: 3 });
    expect(await page({ limit: 50 })).toEqual({ seqs: newestFirst(1, 8), nextBefore: null });
  });

  it('continues a page below the log from the store, without a gap or an overlap', async () => {
    const { page } = await room({ sent: 30, logCapacity: 10, persisted: 25 });
    expect(await page({ limit: 15 })).toEqual({ seqs: newestFirst(16, 30), nextBefore: 16 });
    expect(await page({ before: 16, limit: 15 })).toEqual({ seqs: newestFirst(1, 15), nextBefore: null });
    expect(await page({ before: 25, limit: 6 })).toEqual({ seqs: newestFirst(19, 24), nextBefore: 19 });
  });

  it('stops at `after`, also across the seam', async () => {
    const { page } = await room({ sent: 30, logCapacity: 10, persisted: 30 });
    expect(await page({ after: 12, limit: 50 })).toEqual({ seqs: newestFirst(13, 30), nextBefore: null });
    expect(await page({ after: 12, limit: 18 })).toEqual({ seqs: newestFirst(13, 30), nextBefore: null });
    expect(await page({ after: 12, limit: 5 })).toEqual({ seqs: newestFirst(26, 30), nextBefore: 26 });
    expect(await page({ after: 30 })).toEqual({ seqs: [], nextBefore: null });
    expect(await page({ after: 5, before: 6 })).toEqual({ seqs: [], nextBefore: null });
  });

  it('treats a `before` beyond the newest message as "from the newest"', async () => {
    const { page } = await room({ sent: 30, logCapacity: 10, persisted: 30 });
    expect(await page({ before: 1_000_000, limit: 12 })).toEqual({ seqs: newestFirst(19, 30), nextBefore: 19 });
  });

  it('reads the store alone when the log holds nothing (an in-process backplane after a restart)', async () => {
    const earlier = await room({ sent: 12, logCapacity: 10, persisted: 12 });
    // A fresh backplane over the same store: its log and sequence start empty.
    const reader = new HistoryReader(new LocalBackplane(10), earlier.store, { warn: () => {} });
    const result = await reader.page(earlier.roomId, { limit: 5 });
    expect(result.messages.map((message) => message.seq)).toEqual(newestFirst(8, 12));
    expect(result.nextBefore).toBe(8);
  });

  it('falls back to the store when the log cannot be read, and says so in the log', async () => {
    const { backplane, page, warnings } = await room({ sent: 30, logCapacity: 10, persisted: 30 });
    (backplane as Backplane).readRecent = () => Promise.reject(new Error('redis down'));
    expect(await page({ limit: 12 })).toEqual({ seqs: newestFirst(19, 30), nextBefore: 19 });
    expect(warnings).toEqual(['history: replay log unavailable, reading the store only']);
  });

  it('answers HISTORY_UNAVAILABLE when a page needs the store and the store is down', async () => {
    const { store, page } = await room({ sent: 30, logCapacity: 10, persisted: 30 });
    store.failing = new Error('store down');
    const failure = page({ before: 15 });
    await expect(failure).rejects.toBeInstanceOf(AppError);
    await expect(failure).rejects.toMatchObject({ code: 'HISTORY_UNAVAILABLE' });
  });

  it('pages through every room shape newest first with no gap and no duplicate', async () => {
    for (const sent of [0, 1, 9, 10, 11, 37]) {
      for (const logCapacity of [1, 10, 50]) {
        for (const persisted of new Set([Math.max(0, sent - logCapacity), sent])) {
          for (const limit of [1, 3, 10, 200]) {
            const { page } = await room({ sent, logCapacity, persisted });
            const seen: number[] = [];
            let before: number | undefined;
            for (let pages = 0; pages < 100; pages++) {
              const result = await page({ before, limit });
              seen.push(...result.seqs);
              if (result.nextBefore === null) break;
              before = result.nextBefore;
            }
            expect({ sent, logCapacity, persisted, limit, seen }).toEqual({
              sent,
              logCapacity,
              persisted,
              limit,
              seen: newestFirst(1, sent),
            });
          }
        }
      }
    }
  });

  describe('edits and deletions', () => {
    const EDIT = (target: number): Array<[string, string]> => [
      ['content-type', 'text/plain'],
      ['x-event', 'edit'],
      ['x-target-seq', String(target)],
      ['x-sender-id', 'u'],
    ];
    const DELETE = (target: number): Array<[string, string]> => [
      ['x-event', 'delete'],
      ['x-target-seq', String(target)],
      ['x-sender-id', 'u'],
    ];

    it('shows messages from the log with the edits and deletions the log holds, also beyond the page', async () => {
      const { backplane, roomId, reader } = await room({ sent: 10, logCapacity: 50, persisted: 0 });
      const topic = `/topic/rooms.${roomId}`;
      await backplane.publish({ destination: topic, headers: EDIT(2), body: Buffer.from('m2, edited') }); // 11
      await backplane.publish({ destination: topic, headers: DELETE(3), body: Buffer.alloc(0) }); // 12
      await backplane.publish({ destination: topic, headers: EDIT(3), body: Buffer.from('too late') }); // 13

      const older = await reader.page(roomId, { before: 5, limit: 3 });
      expect(older.messages.map(({ seq, body, deletedAt }) => [seq, body.toString(), deletedAt !== null])).toEqual([
        [4, 'm4', false],
        [3, '', true],
        [2, 'm2, edited', false],
      ]);
      expect(older.messages[2]!.editedAt).not.toBeNull();

      const newest = await reader.page(roomId, { limit: 3 });
      expect(newest.messages.map(({ seq, kind, targetSeq, body }) => [seq, kind, targetSeq, body.toString()])).toEqual([
        [13, 'edit', 3, ''], // its message is deleted, so its content is gone too
        [12, 'delete', 3, ''],
        [11, 'edit', 2, 'm2, edited'],
      ]);
    });

    it('overlays events the persister has not stored yet onto messages from the store', async () => {
      const { backplane, roomId, reader, store } = await room({ sent: 30, logCapacity: 10, persisted: 30 });
      const topic = `/topic/rooms.${roomId}`;
      // Stored and applied already, and since pushed out of the log by later messages.
      const storedEdit = await backplane.publish({
        destination: topic,
        headers: EDIT(1),
        body: Buffer.from('stored edit'),
      });
      await store.saveBatch([roomMessageOf(storedEdit)!]);
      for (let i = 0; i < 10; i++) await backplane.publish({ destination: topic, headers: [], body: Buffer.from('x') });
      // Not stored yet: only the log has it.
      await backplane.publish({ destination: topic, headers: DELETE(2), body: Buffer.alloc(0) });

      const oldest = await reader.page(roomId, { before: 3, limit: 5 });
      expect(oldest.messages.map(({ seq, body, deletedAt }) => [seq, body.toString(), deletedAt !== null])).toEqual([
        [2, '', true],
        [1, 'stored edit', false],
      ]);
    });

    it('shows the page as the store has it, and says so, when the log fails for the overlay', async () => {
      const { backplane, roomId, reader, warnings } = await room({ sent: 30, logCapacity: 10, persisted: 30 });
      await backplane.publish({ destination: `/topic/rooms.${roomId}`, headers: DELETE(1), body: Buffer.alloc(0) });
      const readRecent = backplane.readRecent.bind(backplane);
      // The page's own reads work; the overlay's scan of the log fails.
      (backplane as Backplane).readRecent = (destination, afterSeq, limit) =>
        limit === LOG_EVENT_SCAN_LIMIT
          ? Promise.reject(new Error('redis down'))
          : readRecent(destination, afterSeq, limit);
      const page = await reader.page(roomId, { before: 2, limit: 1 });
      expect(page.messages[0]).toMatchObject({ seq: 1, deletedAt: null });
      expect(warnings).toEqual(['history: replay log unavailable, edits and deletions not yet stored are not shown']);
    });
  });
});
