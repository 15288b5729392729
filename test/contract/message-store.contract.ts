import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MessageStore } from '../../app/src/messages/store/message-store.port.js';
import type { StoredMessage } from '../../app/src/messages/store/stored-message.js';

/** A store on an empty database, and how to tear it down. */
export interface MessageStoreWorld {
  readonly store: MessageStore;
  close(): Promise<void>;
}

export type MessageStoreFactory = () => Promise<MessageStoreWorld>;

let ids = 0;
/** A message of `roomId` at `seq`, with a unique id and a body that is not valid UTF-8. */
export function message(roomId: string, seq: number, overrides: Partial<StoredMessage> = {}): StoredMessage {
  return {
    id: `m-${randomBytes(4).toString('hex')}-${++ids}`,
    roomId,
    seq,
    kind: 'message',
    targetSeq: null,
    senderId: 'b9c3c5c8-6a55-4a55-9d43-1c1b3a0c6a01',
    senderName: 'alice',
    contentType: 'text/plain;charset=utf-8',
    body: Buffer.from(`hello ${seq}`),
    clientMsgId: null,
    createdAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, seq % 1000)),
    editedAt: null,
    deletedAt: null,
    ...overrides,
  };
}

/** An edit event at `seq` that gives message `targetSeq` a new body, made by `senderId` (default: the author). */
export function editEvent(
  roomId: string,
  seq: number,
  targetSeq: number,
  body: string,
  overrides: Partial<StoredMessage> = {},
): StoredMessage {
  return message(roomId, seq, {
    kind: 'edit',
    targetSeq,
    body: Buffer.from(body),
    contentType: 'text/markdown',
    ...overrides,
  });
}

/** A delete event at `seq` of message `targetSeq`. */
export function deleteEvent(
  roomId: string,
  seq: number,
  targetSeq: number,
  overrides: Partial<StoredMessage> = {},
): StoredMessage {
  return message(roomId, seq, { kind: 'delete', targetSeq, body: Buffer.alloc(0), ...overrides });
}

const at = (second: number) => new Date(Date.UTC(2026, 0, 2, 3, 4, second, 250));
const seqs = (messages: readonly StoredMessage[]) => messages.map((stored) => stored.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * What every MessageStore must do, whatever the database: the persister relies on the
 * idempotent batch write, the history API on the newest-first pages.
 */
export function describeMessageStoreContract(name: string, createWorld: MessageStoreFactory): void {
  describe(`MessageStore contract: ${name}`, () => {
    let world: MessageStoreWorld;
    let store: MessageStore;

    beforeAll(async () => {
      world = await createWorld();
      store = world.store;
    }, 60_000);

    afterAll(async () => {
      await world?.close();
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('stores a batch and gives every field back as written', async () => {
      const roomId = randomUUID();
      const binary = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0x00]);
      const written = [
        message(roomId, 1, { body: binary, contentType: 'application/octet-stream', clientMsgId: 'c-1' }),
        message(roomId, 2, {
          body: Buffer.from('héllo wörld ✓ 🎉'),
          senderName: 'Zoë',
          createdAt: new Date('2026-03-04T05:06:07.089Z'),
        }),
        message(roomId, 3, { body: Buffer.alloc(0) }),
      ];

      expect(await store.saveBatch(written)).toEqual({ stored: 3, rejected: [] });

      expect(await store.get(roomId, 1)).toEqual(written[0]);
      expect(await store.get(roomId, 2)).toEqual(written[1]);
      expect(await store.get(roomId, 3)).toEqual(written[2]);
      expect((await store.get(roomId, 1))!.body.equals(binary)).toBe(true);
      expect(await store.get(roomId, 4)).toBeNull();
      expect(await store.get(randomUUID(), 1)).toBeNull();
    });

    it('keeps bodies of 64 KiB (the default STOMP body limit) and larger byte for byte', async () => {
      const roomId = randomUUID();
      const bodies = [randomBytes(65_536), randomBytes(1_000_000), randomBytes(3 * 1024 * 1024)];
      const written = bodies.map((body, i) => message(roomId, i + 1, { body }));
      expect((await store.saveBatch(written)).stored).toBe(3);
      for (const [i, body] of bodies.entries()) expect((await store.get(roomId, i + 1))!.body.equals(body)).toBe(true);
    });

    it('keeps sequences beyond 32 bits as exact numbers', async () => {
      const roomId = randomUUID();
      const seq = 2 ** 40 + 7;
      await store.saveBatch([message(roomId, seq)]);
      const [stored] = await store.page(roomId, { limit: 10 });
      expect(stored!.seq).toBe(seq);
      expect(typeof stored!.seq).toBe('number');
    });

    it('stores a replayed batch once and does not fail, also when it overlaps new messages', async () => {
      const roomId = randomUUID();
      const first = range(1, 5).map((seq) => message(roomId, seq, { clientMsgId: `c-${seq}` }));
      await store.saveBatch(first);

      // After a crash the queue hands out the same entries again, next to new ones.
      const replay = [...first.slice(2), ...range(6, 8).map((seq) => message(roomId, seq))];
      expect(await store.saveBatch(replay)).toEqual({ stored: 6, rejected: [] });
      expect(await store.saveBatch(first)).toEqual({ stored: 5, rejected: [] });
      // The same message twice in one batch is one message.
      expect(await store.saveBatch([first[0]!, first[0]!])).toEqual({ stored: 1, rejected: [] });

      expect(seqs(await store.page(roomId, { limit: 100 }))).toEqual(range(1, 8).reverse());
    });

    it('survives two persisters writing overlapping batches at the same time', async () => {
      const roomId = randomUUID();
      const all = range(1, 300).map((seq) => message(roomId, seq, { clientMsgId: seq % 2 === 0 ? `c-${seq}` : null }));
      const results = await Promise.all([
        store.saveBatch(all.slice(0, 200)),
        store.saveBatch(all.slice(100)),
        store.saveBatch(all),
      ]);
      expect(results.map((result) => result.rejected)).toEqual([[], [], []]);
      expect(seqs(await store.page(roomId, { limit: 300 }))).toEqual(range(1, 300).reverse());
    });

    it('refuses a different message at a taken (roomId, seq) and keeps the first, without failing the batch', async () => {
      const roomId = randomUUID();
      const original = message(roomId, 1);
      await store.saveBatch([original]);
      const reused = message(roomId, 1, { body: Buffer.from('another message, same seq') });
      const next = message(roomId, 2);

      const result = await store.saveBatch([reused, next]);

      expect(result).toEqual({ stored: 1, rejected: [{ message: reused, reason: 'seq-taken' }] });
      expect((await store.get(roomId, 1))!.id).toBe(original.id);
      expect(await store.get(roomId, 2)).toEqual(next);
    });

    it('stores a client retry (same sender, room and client message id) once', async () => {
      const roomId = randomUUID();
      const first = message(roomId, 1, { clientMsgId: 'retry-me' });
      const retry = message(roomId, 2, { clientMsgId: 'retry-me' });
      const otherSender = message(roomId, 3, { clientMsgId: 'retry-me', senderId: randomUUID() });
      const otherRoom = message(randomUUID(), 1, { clientMsgId: 'retry-me' });
      const withoutIds = [message(roomId, 4), message(roomId, 5)];

      const result = await store.saveBatch([first, retry, otherSender, otherRoom, ...withoutIds]);

      expect(result).toEqual({ stored: 5, rejected: [{ message: retry, reason: 'client-msg-id-taken' }] });
      expect(seqs(await store.page(roomId, { limit: 10 }))).toEqual([5, 4, 3, 1]);
    });

    it('pages a room newest first with exclusive before/after cursors and a limit', async () => {
      const roomId = randomUUID();
      const neighbour = randomUUID();
      await store.saveBatch(range(1, 25).map((seq) => message(roomId, seq)));
      await store.saveBatch(range(1, 30).map((seq) => message(neighbour, seq)));

      expect(seqs(await store.page(roomId, { limit: 10 }))).toEqual(range(16, 25).reverse());
      expect(seqs(await store.page(roomId, { before: 16, limit: 10 }))).toEqual(range(6, 15).reverse());
      expect(seqs(await store.page(roomId, { before: 6, limit: 10 }))).toEqual(range(1, 5).reverse());
      expect(seqs(await store.page(roomId, { before: 1, limit: 10 }))).toEqual([]);
      expect(seqs(await store.page(roomId, { after: 20, limit: 10 }))).toEqual(range(21, 25).reverse());
      expect(seqs(await store.page(roomId, { after: 3, before: 9, limit: 10 }))).toEqual(range(4, 8).reverse());
      expect(seqs(await store.page(roomId, { after: 3, before: 9, limit: 2 }))).toEqual([8, 7]);
      expect(seqs(await store.page(roomId, { before: 1_000, limit: 3 }))).toEqual([25, 24, 23]);
      expect(await store.page(randomUUID(), { limit: 10 })).toEqual([]);
    });

    describe('edit and delete events', () => {
      it('stores events as rows of their own, with their kind and target, in the room’s pages', async () => {
        const roomId = randomUUID();
        const original = message(roomId, 1);
        const edit = editEvent(roomId, 2, 1, 'edited', {
          senderId: 'moderator-1',
          senderName: 'mod',
          createdAt: at(10),
        });
        const deletion = deleteEvent(roomId, 3, 1, { createdAt: at(20) });

        expect(await store.saveBatch([original, edit, deletion])).toEqual({ stored: 3, rejected: [] });

        // The edit's own body is emptied once its target is deleted; everything else is as written.
        expect(await store.get(roomId, 2)).toEqual({ ...edit, body: Buffer.alloc(0) });
        expect(await store.get(roomId, 3)).toEqual(deletion);
        const page = await store.page(roomId, { limit: 10 });
        expect(page.map(({ seq, kind, targetSeq }) => ({ seq, kind, targetSeq }))).toEqual([
          { seq: 3, kind: 'delete', targetSeq: 1 },
          { seq: 2, kind: 'edit', targetSeq: 1 },
          { seq: 1, kind: 'message', targetSeq: null },
        ]);
      });

      it('applies an edit: the new body and content type, editedAt = when the edit was sequenced', async () => {
        const roomId = randomUUID();
        const original = message(roomId, 1, { clientMsgId: 'c-1' });
        await store.saveBatch([original, message(roomId, 2)]);

        await store.saveBatch([editEvent(roomId, 3, 1, 'better words', { createdAt: at(30) })]);

        expect(await store.get(roomId, 1)).toEqual({
          ...original,
          body: Buffer.from('better words'),
          contentType: 'text/markdown',
          editedAt: at(30),
        });
        expect((await store.get(roomId, 3))!.body.toString()).toBe('better words');
        expect(await store.get(roomId, 2)).toEqual(expect.objectContaining({ editedAt: null, deletedAt: null }));
      });

      it('applies a delete: an empty body (a tombstone) with deletedAt, and the edits lose their bodies too', async () => {
        const roomId = randomUUID();
        const original = message(roomId, 1);
        await store.saveBatch([original, editEvent(roomId, 2, 1, 'second thoughts', { createdAt: at(5) })]);

        await store.saveBatch([deleteEvent(roomId, 3, 1, { createdAt: at(40) })]);

        expect(await store.get(roomId, 1)).toEqual({
          ...original,
          body: Buffer.alloc(0),
          contentType: 'text/markdown',
          editedAt: at(5),
          deletedAt: at(40),
        });
        expect((await store.get(roomId, 2))!.body).toEqual(Buffer.alloc(0));
      });

      it('shows the latest edit whatever order the batches come in, and the first delete', async () => {
        const roomId = randomUUID();
        await store.saveBatch([message(roomId, 1)]);
        // Two persisters: the batch with the newer edit is written first.
        await store.saveBatch([editEvent(roomId, 3, 1, 'newer', { createdAt: at(3) })]);
        await store.saveBatch([editEvent(roomId, 2, 1, 'older', { createdAt: at(2) })]);
        expect(await store.get(roomId, 1)).toMatchObject({ body: Buffer.from('newer'), editedAt: at(3) });

        await store.saveBatch([deleteEvent(roomId, 5, 1, { createdAt: at(5) })]);
        await store.saveBatch([deleteEvent(roomId, 4, 1, { createdAt: at(4) })]);
        expect(await store.get(roomId, 1)).toMatchObject({ body: Buffer.alloc(0), deletedAt: at(4) });
      });

      it('is idempotent: a batch of events written again changes nothing and is not an error', async () => {
        const roomId = randomUUID();
        const batch = [
          message(roomId, 1),
          editEvent(roomId, 2, 1, 'one', { createdAt: at(2) }),
          editEvent(roomId, 3, 1, 'two', { createdAt: at(3) }),
          message(roomId, 4),
          deleteEvent(roomId, 5, 4, { createdAt: at(5) }),
        ];
        await store.saveBatch(batch);
        const before = await store.page(roomId, { limit: 10 });

        expect(await store.saveBatch(batch)).toEqual({ stored: 5, rejected: [] });
        expect(await store.saveBatch([batch[1]!, batch[4]!])).toEqual({ stored: 2, rejected: [] });

        expect(await store.page(roomId, { limit: 10 })).toEqual(before);
        expect(await store.get(roomId, 1)).toMatchObject({
          body: Buffer.from('two'),
          editedAt: at(3),
          deletedAt: null,
        });
        expect(await store.get(roomId, 4)).toMatchObject({ body: Buffer.alloc(0), deletedAt: at(5) });
      });

      it('is order-safe within a batch: target and events together, an edit and a delete of one message in either order', async () => {
        const roomId = randomUUID();
        const first = message(roomId, 1);
        const second = message(roomId, 2);
        // Batches are written in any order the queue hands them out, and an entry may come twice.
        await store.saveBatch([
          deleteEvent(roomId, 5, 2, { createdAt: at(5) }),
          editEvent(roomId, 4, 2, 'too late', { createdAt: at(4) }),
          second,
          editEvent(roomId, 3, 1, 'edited in the same batch', { createdAt: at(3) }),
          first,
          deleteEvent(roomId, 7, 1, { createdAt: at(7) }),
          editEvent(roomId, 6, 1, 'edited, then deleted', { createdAt: at(6) }),
        ]);

        expect(await store.get(roomId, 1)).toEqual({
          ...first,
          body: Buffer.alloc(0),
          contentType: 'text/markdown',
          editedAt: at(6),
          deletedAt: at(7),
        });
        expect(await store.get(roomId, 2)).toEqual({
          ...second,
          body: Buffer.alloc(0),
          contentType: 'text/markdown',
          editedAt: at(4),
          deletedAt: at(5),
        });
        for (const seq of [3, 4, 6]) expect((await store.get(roomId, seq))!.body).toEqual(Buffer.alloc(0));
      });

      it('applies an event stored before its target once the target arrives', async () => {
        const roomId = randomUUID();
        await store.saveBatch([editEvent(roomId, 2, 1, 'came first', { createdAt: at(2) }), message(roomId, 3)]);
        expect(await store.get(roomId, 1)).toBeNull();

        const late = message(roomId, 1);
        await store.saveBatch([late]);

        expect(await store.get(roomId, 1)).toEqual({
          ...late,
          body: Buffer.from('came first'),
          contentType: 'text/markdown',
          editedAt: at(2),
        });
        expect(await store.get(roomId, 3)).toMatchObject({ editedAt: null });
      });

      it('never changes an event, and applies no event it refused', async () => {
        const roomId = randomUUID();
        const edit = editEvent(roomId, 2, 1, 'an edit');
        await store.saveBatch([message(roomId, 1, { body: Buffer.from('original') }), edit]);

        // An event that names an event, or a message that is not there, changes nothing.
        const aimless = [deleteEvent(roomId, 3, 2), editEvent(roomId, 4, 99, 'no such message')];
        expect(await store.saveBatch(aimless)).toEqual({ stored: 2, rejected: [] });
        expect(await store.get(roomId, 2)).toEqual(edit);
        expect(await store.get(roomId, 99)).toBeNull();

        // A delete whose seq is taken by another row is refused, so it deletes nothing.
        const refused = deleteEvent(roomId, 4, 1);
        expect(await store.saveBatch([refused])).toEqual({
          stored: 0,
          rejected: [{ message: refused, reason: 'seq-taken' }],
        });
        expect(await store.get(roomId, 1)).toMatchObject({ body: Buffer.from('an edit'), deletedAt: null });
      });
    });

    it('pages through a large room without gaps or duplicates', async () => {
      const roomId = randomUUID();
      for (let from = 1; from <= 2_000; from += 500)
        await store.saveBatch(range(from, from + 499).map((seq) => message(roomId, seq)));
      const seen: number[] = [];
      let before: number | undefined;
      for (;;) {
        const page = await store.page(roomId, { before, limit: 199 });
        if (page.length === 0) break;
        seen.push(...seqs(page));
        before = page.at(-1)!.seq;
      }
      expect(seen).toEqual(range(1, 2_000).reverse());
    });
  });
}
