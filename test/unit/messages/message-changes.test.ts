import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { LocalBackplane } from '../../../app/src/backplane/local-backplane.js';
import type { PublishedMessage } from '../../../app/src/backplane/backplane.port.js';
import { AppError } from '../../../app/src/errors/app-error.js';
import { MessageChanges, type ChangeRequest } from '../../../app/src/messages/changes/message-changes.js';
import { roomMessageOf } from '../../../app/src/messages/store/room-message-of.js';
import { FakeMessageStore } from './fake-message-store.js';

const alice = { userId: 'alice-id', username: 'alice' };
const bob = { userId: 'bob-id', username: 'bob' };

/** A room with `sent` messages by alice; the replay log keeps `logCapacity`, the store has the first `persisted`. */
async function room(options: { sent: number; logCapacity?: number; persisted?: number }) {
  const roomId = randomUUID();
  const backplane = new LocalBackplane(options.logCapacity ?? 1_000);
  const store = new FakeMessageStore();
  const topic = `/topic/rooms.${roomId}`;
  const published: PublishedMessage[] = [];
  const live: PublishedMessage[] = [];
  await backplane.subscribe(topic, (message) => live.push(message));
  for (let i = 1; i <= options.sent; i++) {
    published.push(
      await backplane.publish({
        destination: topic,
        headers: [
          ['content-type', 'text/plain'],
          ['x-sender-id', alice.userId],
          ['x-sender', alice.username],
        ],
        body: Buffer.from(`m${i}`),
      }),
    );
  }
  await store.saveBatch(published.slice(0, options.persisted ?? 0).map((message) => roomMessageOf(message)!));
  const changes = new MessageChanges(backplane, store);
  const change = (request: Partial<ChangeRequest> & Pick<ChangeRequest, 'action' | 'targetSeq'>) =>
    changes.change({ roomId, changer: alice, role: 'member', ...request });
  const codeOf = async (request: Parameters<typeof change>[0]) => {
    try {
      await change(request);
      return 'ok';
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return error.code;
    }
  };
  return { roomId, backplane, store, live, change, codeOf };
}

describe('MessageChanges', () => {
  it('publishes an edit as a sequenced event on the room topic, stamped with who made it', async () => {
    const { live, change } = await room({ sent: 2 });
    const event = await change({
      action: 'edit',
      targetSeq: 1,
      body: Buffer.from('m1, better'),
      contentType: 'text/markdown',
    });

    const published = live.at(-1)!;
    expect(published.seq).toBe(3);
    expect(Object.fromEntries(published.headers)).toEqual({
      'content-type': 'text/markdown',
      'x-event': 'edit',
      'x-target-seq': '1',
      'x-sender-id': alice.userId,
      'x-sender': 'alice',
      'x-server-ts': expect.any(String),
    });
    expect(published.body.toString()).toBe('m1, better');
    expect(event).toMatchObject({ seq: 3, kind: 'edit', targetSeq: 1, senderId: alice.userId });
  });

  it('publishes a delete with an empty body, and an edit without a content type as text', async () => {
    const { live, change } = await room({ sent: 2 });
    await change({ action: 'edit', targetSeq: 2, body: Buffer.from('plain') });
    expect(live.at(-1)!.headers).toContainEqual(['content-type', 'text/plain;charset=utf-8']);
    const event = await change({ action: 'delete', targetSeq: 2, body: Buffer.from('ignored') });
    expect(live.at(-1)!.body).toEqual(Buffer.alloc(0));
    expect(live.at(-1)!.headers.map(([name]) => name)).not.toContain('content-type');
    expect(event).toMatchObject({ seq: 4, kind: 'delete', targetSeq: 2 });
  });

  it('lets a moderator change someone else’s message, and no other member', async () => {
    const { codeOf } = await room({ sent: 3 });
    expect(await codeOf({ action: 'edit', targetSeq: 1, changer: bob, role: 'member', body: Buffer.from('x') })).toBe(
      'AUTH_FORBIDDEN',
    );
    expect(await codeOf({ action: 'delete', targetSeq: 1, changer: bob, role: 'member' })).toBe('AUTH_FORBIDDEN');
    expect(await codeOf({ action: 'delete', targetSeq: 1, changer: bob, role: 'admin' })).toBe('ok');
    expect(await codeOf({ action: 'edit', targetSeq: 2, changer: bob, role: 'owner', body: Buffer.from('x') })).toBe(
      'ok',
    );
    expect(await codeOf({ action: 'delete', targetSeq: 3, changer: alice, role: null })).toBe('AUTH_FORBIDDEN');
  });

  it('refuses an unknown seq, an event, and an empty edit', async () => {
    const { codeOf, change } = await room({ sent: 2 });
    expect(await codeOf({ action: 'delete', targetSeq: 3 })).toBe('MESSAGE_NOT_FOUND');
    expect(await codeOf({ action: 'delete', targetSeq: 99 })).toBe('MESSAGE_NOT_FOUND');
    await change({ action: 'edit', targetSeq: 1, body: Buffer.from('edited') }); // seq 3
    expect(await codeOf({ action: 'edit', targetSeq: 3, body: Buffer.from('x') })).toBe('MESSAGE_NOT_EDITABLE');
    expect(await codeOf({ action: 'delete', targetSeq: 3 })).toBe('MESSAGE_NOT_EDITABLE');
    expect(await codeOf({ action: 'edit', targetSeq: 1, body: Buffer.alloc(0) })).toBe('VALIDATION_FAILED');
  });

  it('sees a deletion that is only in the replay log, and one only in the store', async () => {
    const recent = await room({ sent: 2 });
    await recent.change({ action: 'delete', targetSeq: 1 }); // published, not persisted
    expect(await recent.codeOf({ action: 'edit', targetSeq: 1, body: Buffer.from('x') })).toBe('MESSAGE_DELETED');
    expect(await recent.codeOf({ action: 'delete', targetSeq: 1 })).toBe('MESSAGE_DELETED');

    // Message 1 and its deletion (seq 3) are stored, and long gone from a log of 2.
    const older = await room({ sent: 2, logCapacity: 2, persisted: 2 });
    const deletion = await older.change({ action: 'delete', targetSeq: 1 });
    await older.store.saveBatch([deletion]);
    await older.change({ action: 'edit', targetSeq: 2, body: Buffer.from('a') });
    await older.change({ action: 'edit', targetSeq: 2, body: Buffer.from('b') });
    expect(await older.codeOf({ action: 'edit', targetSeq: 1, body: Buffer.from('x') })).toBe('MESSAGE_DELETED');
    expect(await older.codeOf({ action: 'delete', targetSeq: 2 })).toBe('ok');
  });

  it('finds a message older than the log in the store, and says when the store cannot be asked', async () => {
    const { codeOf, store } = await room({ sent: 10, logCapacity: 3, persisted: 10 });
    expect(await codeOf({ action: 'edit', targetSeq: 2, body: Buffer.from('from the store') })).toBe('ok');
    store.failing = new Error('store down');
    expect(await codeOf({ action: 'edit', targetSeq: 2, body: Buffer.from('again') })).toBe('MESSAGE_UNAVAILABLE');
    // The newest messages are in the log, so the store is not needed for them.
    expect(await codeOf({ action: 'delete', targetSeq: 10 })).toBe('ok');
  });
});
