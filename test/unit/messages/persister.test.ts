import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Backplane } from '../../../app/src/backplane/backplane.port.js';
import { LocalBackplane } from '../../../app/src/backplane/local-backplane.js';
import { LocalPersistQueue } from '../../../app/src/backplane/local-persist-queue.js';
import type { PersistQueue } from '../../../app/src/backplane/persist-queue.port.js';
import { MessagePersister, type PersisterOptions } from '../../../app/src/messages/persister/message-persister.js';
import type { Log } from '../../../app/src/ops/log.port.js';
import type { RejectionReason } from '../../../app/src/messages/store/message-store.port.js';
import { FakeMessageStore } from './fake-message-store.js';
import { until as pollUntil, type Condition } from '../../support/until.js';

class RecordingLog implements Pick<Log, 'info' | 'warn' | 'error'> {
  readonly lines: Array<{ level: string; message: string; fields: object }> = [];
  info(fields: object, message: string): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(fields: object, message: string): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(fields: object, message: string): void {
    this.lines.push({ level: 'error', message, fields });
  }
  matching(level: string, pattern: RegExp) {
    return this.lines.filter((line) => line.level === level && pattern.test(line.message));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** This suite's waits are bounded at 5 s. */
const until = (condition: Condition, timeoutMs = 5_000) => pollUntil(condition, timeoutMs);

interface World {
  readonly backplane: Backplane;
  readonly queue: PersistQueue;
  readonly store: FakeMessageStore;
  readonly log: RecordingLog;
  readonly metrics: { written: number; failed: number; rejected: Array<[RejectionReason, number]> };
  readonly persister: MessagePersister;
}

describe('MessagePersister (in-process queue, fake store)', () => {
  const persisters: MessagePersister[] = [];
  afterEach(async () => {
    await Promise.all(persisters.splice(0).map((persister) => persister.stop()));
  });

  interface WorldExtras {
    /** Wraps the in-process queue, e.g. to make acknowledgements fail. */
    readonly queue?: (queue: LocalPersistQueue) => PersistQueue;
    readonly claimIdleMs?: number;
    readonly random?: () => number;
  }

  const world = (options: Partial<PersisterOptions> = {}, extras: WorldExtras = {}): World => {
    const local = new LocalPersistQueue(extras.claimIdleMs ?? 30_000);
    const queue = extras.queue?.(local) ?? local;
    const backplane = new LocalBackplane(1_000, local.enqueue);
    const store = new FakeMessageStore();
    const log = new RecordingLog();
    const metrics: World['metrics'] = { written: 0, failed: 0, rejected: [] };
    const persister = new MessagePersister(
      queue,
      store,
      {
        consumer: 'test',
        batchSize: 50,
        retryInitialMs: 5,
        retryMaxMs: 40,
        flushTimeoutMs: 2_000,
        blockMs: 20,
        ...options,
      },
      log,
      {
        written: (count) => (metrics.written += count),
        failed: () => metrics.failed++,
        rejected: (reason, count) => metrics.rejected.push([reason, count]),
      },
      extras.random,
    );
    persisters.push(persister);
    return { backplane, queue, store, log, metrics, persister };
  };

  const publish = (backplane: Backplane, roomId: string, count: number, destination = `/topic/rooms.${roomId}`) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        backplane.publish({
          destination,
          headers: [
            ['content-type', 'text/plain'],
            ['x-sender-id', 'u1'],
            ['x-sender', 'alice'],
          ],
          body: Buffer.from(`m${i}`),
        }),
      ),
    );

  const seqsOf = (store: FakeMessageStore, roomId: string) => store.inRoom(roomId).map((message) => message.seq);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('stores room messages and acknowledges them; other destinations are acknowledged without being stored', async () => {
    const { backplane, queue, store, metrics, persister } = world();
    const [roomA, roomB] = [randomUUID(), randomUUID()];
    persister.start();
    await publish(backplane, roomA, 120);
    await publish(backplane, roomB, 30);
    await publish(backplane, roomA, 5, '/topic/news');
    await publish(backplane, roomA, 5, `/topic/rooms.${roomA}.presence`);

    await until(async () => (await queue.backlog()) === 0);

    expect(seqsOf(store, roomA)).toEqual(range(1, 120));
    expect(seqsOf(store, roomB)).toEqual(range(1, 30));
    expect(store.byId.size).toBe(150);
    expect(metrics.written).toBe(150);
    expect(persister.written).toBe(150);
    await until(() => persister.backlog === 0);
  });

  it('lingers after a small batch, so a trickle of messages is written in few batches, and stop() cuts the wait short', async () => {
    const { backplane, queue, store, persister } = world({ lingerMs: 10_000 });
    let batches = 0;
    const saveBatch = store.saveBatch.bind(store);
    store.saveBatch = (messages) => {
      batches++;
      return saveBatch(messages);
    };
    const room = randomUUID();
    persister.start();
    await publish(backplane, room, 1);
    await until(() => batches === 1);
    for (let i = 0; i < 10; i++) await publish(backplane, room, 1); // arrives while the persister lingers
    expect(batches).toBe(1);
    const stoppedAt = Date.now();
    await persister.flush();
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect(batches).toBe(2);
    expect(seqsOf(store, room)).toEqual(range(1, 11));
    expect(await queue.backlog()).toBe(0);
  });

  it('reports the backlog as it is at scrape time, not as of its last refresh', async () => {
    const { backplane, persister } = world();
    // Not started: nothing refreshes the cached value, as between two refreshes of a running one.
    await publish(backplane, randomUUID(), 7);
    expect(persister.backlog).toBe(0);
    expect(await persister.currentBacklog()).toBe(7);
  });

  it('rides out a store outage: publishing goes on, the backlog grows, nothing is lost, the outage is logged once', async () => {
    const { backplane, queue, store, log, metrics, persister } = world();
    const roomId = randomUUID();
    store.failing = new Error('connect ECONNREFUSED');
    persister.start();

    const started = Date.now();
    await publish(backplane, roomId, 200);
    expect(Date.now() - started).toBeLessThan(1_000); // delivery does not wait on the store
    await until(() => store.attempts >= 6);

    expect(await queue.backlog()).toBe(200);
    expect(store.byId.size).toBe(0);
    expect(persister.storeOutage).toMatchObject({ lastError: 'connect ECONNREFUSED' });
    expect(persister.storeOutage!.failures).toBeGreaterThanOrEqual(6);
    expect(metrics.failed).toBeGreaterThanOrEqual(6);
    expect(log.matching('warn', /message store unavailable/)).toHaveLength(1);

    await publish(backplane, roomId, 50); // still accepted mid-outage
    store.failing = undefined;
    await until(async () => (await queue.backlog()) === 0);

    expect(seqsOf(store, roomId)).toEqual(range(1, 250));
    expect(persister.storeOutage).toBeUndefined();
    expect(log.matching('info', /message store available again/)).toHaveLength(1);
    expect(log.matching('warn', /message store unavailable/)).toHaveLength(1);
  });

  it('retries with exponentially growing waits, capped at retryMaxMs', async () => {
    const attemptsAt: number[] = [];
    // The jitter is pinned to the top of each step here (backoff.test.ts covers its spread).
    const { backplane, store, persister } = world({ retryInitialMs: 20, retryMaxMs: 80 }, { random: () => 1 });
    store.failing = new Error('down');
    const save = store.saveBatch.bind(store);
    store.saveBatch = (batch) => {
      attemptsAt.push(Date.now());
      return save(batch);
    };
    persister.start();
    await publish(backplane, randomUUID(), 1);
    await until(() => attemptsAt.length >= 7, 5_000);

    const waits = attemptsAt.slice(1).map((at, i) => at - attemptsAt[i]!);
    // min(80, 20 * 2^n); timers never fire early, but a busy machine may fire them late.
    const steps = [20, 40, 80, 80, 80, 80];
    for (const [i, step] of steps.entries()) {
      expect(waits[i]).toBeGreaterThanOrEqual(step - 2);
      expect(waits[i]).toBeLessThan(step + 150);
    }
  });

  it('flush() writes what is queued, then stops the loop', async () => {
    const { backplane, queue, store, log, persister } = world({ batchSize: 50 });
    const roomId = randomUUID();
    await publish(backplane, roomId, 130); // the loop never started: all of it is queued

    await persister.flush();

    expect(seqsOf(store, roomId)).toEqual(range(1, 130));
    expect(await queue.backlog()).toBe(0);
    expect(log.matching('info', /persister flushed/)).toHaveLength(1);
    await publish(backplane, roomId, 1);
    await sleep(50);
    expect(await queue.backlog()).toBe(1); // stopped for good
  });

  it('flush() gives up at its deadline while the store is down, leaving the entries queued', async () => {
    const { backplane, queue, store, log, persister } = world({ flushTimeoutMs: 200 });
    store.failing = new Error('store down');
    persister.start();
    await publish(backplane, randomUUID(), 10);
    await until(() => store.attempts >= 2);

    const started = Date.now();
    await persister.flush();

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await queue.backlog()).toBe(10);
    expect(log.matching('error', /flush ended with messages still queued/)).toHaveLength(1);
  });

  it('flush() is bounded even by a store call that never returns', async () => {
    const { backplane, queue, store, persister } = world({ flushTimeoutMs: 150 });
    let release = (): void => {};
    store.gate = new Promise((resolve) => (release = resolve));
    persister.start();
    await publish(backplane, randomUUID(), 3);
    await until(() => store.attempts >= 1);

    const started = Date.now();
    await persister.flush();

    expect(Date.now() - started).toBeLessThan(1_500);
    expect(await queue.backlog()).toBe(3);
    release();
  });

  it('stop() leaves a batch the store refuses in the queue and returns promptly', async () => {
    const { backplane, queue, store, persister } = world({ retryInitialMs: 5_000, retryMaxMs: 5_000 });
    store.failing = new Error('store down');
    persister.start();
    await publish(backplane, randomUUID(), 4);
    await until(() => store.attempts >= 1);

    const started = Date.now();
    await persister.stop();

    expect(Date.now() - started).toBeLessThan(500);
    expect(await queue.backlog()).toBe(4);
  });

  it('stores a batch once when its acknowledgement failed and the queue handed it out again', async () => {
    let failAcks = 1;
    const { backplane, queue, store, log, persister } = world(
      {},
      {
        queue: (local) => ({
          read: (consumer, count, blockMs) => local.read(consumer, count, blockMs),
          acknowledge: (ids) => (failAcks-- > 0 ? Promise.reject(new Error('ack lost')) : local.acknowledge(ids)),
          backlog: () => local.backlog(),
          close: () => local.close(),
        }),
        claimIdleMs: 50,
      },
    );
    const roomId = randomUUID();
    persister.start();
    await publish(backplane, roomId, 20);

    await until(async () => (await queue.backlog()) === 0);

    expect(store.attempts).toBeGreaterThanOrEqual(2);
    expect(seqsOf(store, roomId)).toEqual(range(1, 20));
    expect(log.matching('warn', /acknowledging persisted messages failed/)).toHaveLength(1);
  });

  it('reports messages the store refuses (a reused sequence as an error) and does not hold the queue up for them', async () => {
    const { backplane, queue, store, log, metrics, persister } = world();
    const roomId = randomUUID();
    // Seq 1 of this room is already taken by a message from before a sequence reset.
    await store.saveBatch([
      {
        id: 'old-1',
        roomId,
        seq: 1,
        kind: 'message',
        targetSeq: null,
        senderId: 'u0',
        senderName: 'old',
        contentType: 'text/plain',
        body: Buffer.from('old'),
        clientMsgId: null,
        createdAt: new Date(),
        editedAt: null,
        deletedAt: null,
      },
    ]);
    persister.start();
    await publish(backplane, roomId, 3);

    await until(async () => (await queue.backlog()) === 0);

    expect(store.inRoom(roomId).map((message) => message.id)[0]).toBe('old-1');
    expect(seqsOf(store, roomId)).toEqual([1, 2, 3]);
    expect(metrics.rejected).toEqual([['seq-taken', 1]]);
    expect(log.matching('error', /sequence numbers are taken/)).toHaveLength(1);
  });
});
