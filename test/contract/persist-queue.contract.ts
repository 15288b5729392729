import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Backplane, PublishedMessage } from '../../app/src/backplane/backplane.port.js';
import type { PersistEntry, PersistQueue } from '../../app/src/backplane/persist-queue.port.js';

/** A backplane and the queue it feeds, seen through two queue handles (two persisting instances). */
export interface PersistWorld {
  readonly backplane: Backplane;
  readonly queues: readonly [PersistQueue, PersistQueue];
  close(): Promise<void>;
}

export type PersistWorldFactory = (options: { readonly claimIdleMs: number }) => Promise<PersistWorld>;

const destination = () => `/topic/persist.${randomBytes(4).toString('hex')}`;
const publishMany = async (backplane: Backplane, topic: string, count: number): Promise<PublishedMessage[]> => {
  const published: PublishedMessage[] = [];
  for (let i = 0; i < count; i++)
    published.push(
      await backplane.publish({ destination: topic, headers: [['x-i', String(i)]], body: Buffer.from(`m${i}\0`) }),
    );
  return published;
};
const ids = (entries: readonly PersistEntry[]) => entries.map((entry) => entry.message.id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What every PersistQueue must do, fed by its own backplane. */
export function describePersistQueueContract(name: string, createWorld: PersistWorldFactory): void {
  describe(`PersistQueue contract: ${name}`, () => {
    const worlds: PersistWorld[] = [];
    const world = async (claimIdleMs = 60_000) => {
      const created = await createWorld({ claimIdleMs });
      worlds.push(created);
      return created;
    };

    afterEach(async () => {
      await Promise.all(worlds.splice(0).map((created) => created.close()));
    });

    it('hands every published message out exactly once across consumers until acknowledged', async () => {
      const { backplane, queues } = await world();
      const published = await publishMany(backplane, destination(), 25);
      await backplane.publish({
        destination: destination(),
        headers: [],
        body: Buffer.from('typing'),
        ephemeral: true,
      });

      const seen: PersistEntry[] = [];
      for (let round = 0; round < 10; round++) {
        seen.push(...(await queues[0].read('consumer-a', 4, 0)), ...(await queues[1].read('consumer-b', 3, 0)));
      }

      expect(ids(seen).sort()).toEqual(published.map((message) => message.id).sort());
      const first = seen.find((entry) => entry.message.id === published[0]!.id)!;
      expect(first.message).toMatchObject({ seq: 1, destination: published[0]!.destination, headers: [['x-i', '0']] });
      expect(first.message.body.equals(Buffer.from('m0\0'))).toBe(true);
      expect(first.message.publishedAt).toBe(published[0]!.publishedAt);
      expect(await queues[0].read('consumer-a', 10, 0)).toEqual([]);
      expect(await queues[0].backlog()).toBe(25);
    });

    it('keeps each destination in sequence order for a single reader', async () => {
      const { backplane, queues } = await world();
      const topic = destination();
      await publishMany(backplane, topic, 10);
      const read = await queues[0].read('only', 100, 0);
      expect(read.map((entry) => entry.message.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('counts the backlog down as entries are acknowledged, and never hands those out again', async () => {
      const { backplane, queues } = await world(50);
      const published = await publishMany(backplane, destination(), 6);
      expect(await queues[0].backlog()).toBe(6);

      const batch = await queues[0].read('a', 4, 0);
      expect(await queues[0].backlog()).toBe(6); // read is not persisted yet
      const acknowledged = batch.slice(0, 3);
      await queues[0].acknowledge(acknowledged.map((entry) => entry.entryId));
      expect(await queues[1].backlog()).toBe(3);

      await sleep(120);
      // The fourth entry of the batch, now idle, and the two never read.
      const rest = await queues[1].read('b', 10, 0);
      expect(ids(rest).sort()).toEqual(
        published
          .map((message) => message.id)
          .filter((id) => !ids(acknowledged).includes(id))
          .sort(),
      );
      await queues[1].acknowledge(rest.map((entry) => entry.entryId));
      expect(await queues[0].backlog()).toBe(0);
      await sleep(120);
      expect(await queues[0].read('a', 10, 0)).toEqual([]);
    });

    it('hands unacknowledged entries to another consumer once idle for claimIdleMs', async () => {
      // Idle time long enough that a GC pause of the test process between the two reads cannot
      // make the entries claimable before the first check.
      const { backplane, queues } = await world(600);
      const published = await publishMany(backplane, destination(), 3);
      const crashed = await queues[0].read('crashed-consumer', 10, 0);
      expect(crashed).toHaveLength(3);

      expect(await queues[1].read('survivor', 10, 0)).toEqual([]); // not idle long enough yet
      await sleep(1_000); // idle time plus a sweep interval of the RabbitMQ queue (claimIdleMs / 4)
      const claimed = await queues[1].read('survivor', 10, 0);

      expect(ids(claimed).sort()).toEqual(published.map((message) => message.id).sort());
      expect(claimed.find((entry) => entry.message.seq === 2)?.message.body.toString()).toBe('m1\0');
      await queues[1].acknowledge(claimed.map((entry) => entry.entryId));
      expect(await queues[0].backlog()).toBe(0);
    });

    it('waits up to blockMs for new entries, and wakes when one is published', async () => {
      const { backplane, queues } = await world();
      const started = Date.now();
      expect(await queues[0].read('a', 10, 100)).toEqual([]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(80);

      const waiting = queues[0].read('a', 10, 5_000);
      await sleep(50);
      const [message] = await publishMany(backplane, destination(), 1);
      const woken = Date.now();
      expect(ids(await waiting)).toEqual([message!.id]);
      expect(Date.now() - woken).toBeLessThan(1_000);
    });
  });
}
