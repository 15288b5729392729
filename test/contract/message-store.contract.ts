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
