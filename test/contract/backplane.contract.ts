import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import type {
  Backplane,
  ControlEvent,
  PublishedMessage,
  PublishOptions,
} from '../../app/src/backplane/backplane.port.js';

/** Backplanes joined into one cluster, each standing for one service instance. */
export interface BackplaneWorld {
  /** The in-process implementation can only be one instance; distributed ones give what was asked. */
  readonly instances: readonly Backplane[];
  /**
   * Makes the carrier forget every counter and log while the instances keep running (Redis
   * restarted empty, or a failover to a replica that had not received the writes). Absent where
   * that cannot happen without the instances themselves restarting (the in-process backplane).
   */
  readonly loseState?: () => Promise<void>;
  close(): Promise<void>;
}

export interface BackplaneWorldOptions {
  readonly instances: number;
  /** Replay log length per destination (approximate where the implementation trims lazily). */
  readonly logCapacity: number;
}

export type BackplaneWorldFactory = (options: BackplaneWorldOptions) => Promise<BackplaneWorld>;

/** Collects what one instance's listener receives for one destination. */
class Received {
  readonly messages: PublishedMessage[] = [];
  private wake: (() => void) | undefined;

  readonly listener = (message: PublishedMessage): void => {
    this.messages.push(message);
    this.wake?.();
  };

  async waitFor(count: number, timeoutMs = 10_000): Promise<PublishedMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} messages, got ${this.messages.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.messages;
  }
}

const text = (value: string) => Buffer.from(value);
const destination = () => `/topic/contract.${randomBytes(4).toString('hex')}`;

/**
 * Publishes `bodies` as one STOMP session does (send-pipeline.ts): the next starts once the
 * previous is in order (onOrdered) or done, and none starts after one failed.
 */
async function publishAsOneSender(
  backplane: Backplane,
  topic: string,
  bodies: readonly string[],
  options: PublishOptions = {},
): Promise<Array<PromiseSettledResult<PublishedMessage>>> {
  const orderGroup = `session-${randomBytes(4).toString('hex')}`;
  const issued: Array<Promise<PublishedMessage>> = [];
  for (const body of bodies) {
    let ordered!: () => void;
    const inOrder = new Promise<boolean>((resolve) => (ordered = () => resolve(false)));
    const publish = backplane.publish(
      { destination: topic, headers: [], body: text(body) },
      { ...options, orderGroup, onOrdered: () => ordered() },
    );
    issued.push(publish);
    const failed = await Promise.race([
      inOrder,
      publish.then(
        () => false,
        () => true,
      ),
    ]);
    if (failed) break;
  }
  return Promise.allSettled(issued);
}

/**
 * What every Backplane must do, whatever carries it. Run by one test file per implementation.
 */
export function describeBackplaneContract(name: string, createWorld: BackplaneWorldFactory): void {
  describe(`Backplane contract: ${name}`, () => {
    const worlds: BackplaneWorld[] = [];
    const world = async (options: Partial<BackplaneWorldOptions> = {}) => {
      const created = await createWorld({ instances: 2, logCapacity: 1_000, ...options });
      worlds.push(created);
      return created;
    };

    afterEach(async () => {
      await Promise.all(worlds.splice(0).map((created) => created.close()));
    });

    /**
     * One instance publishes a first message to a fresh destination, which the other instance
     * receives; then the carrier forgets its state, where that can happen.
     */
    const senderAfterLoss = async (created: BackplaneWorld) => {
      const sender = created.instances[0]!;
      const other = created.instances[created.instances.length - 1]!;
      const topic = destination();
      const received = new Received();
      await other.subscribe(topic, received.listener);
      await sender.publish({ destination: topic, headers: [], body: text('before') });
      await received.waitFor(1);
      await created.loseState?.();
      return { sender, other, topic, received };
    };

    it("raises a destination's sequence to a floor, never lowers it, and every instance continues above it", async () => {
      const { instances } = await world();
      const topic = destination();
      await instances[0]!.raiseSequence(topic, 41);
      const first = await instances[0]!.publish({ destination: topic, headers: [], body: text('a') });
      expect(first.seq).toBe(42);
      await instances[instances.length - 1]!.raiseSequence(topic, 10);
      const second = await instances[instances.length - 1]!.publish({
        destination: topic,
        headers: [],
        body: text('b'),
      });
      expect(second.seq).toBe(43);
    });

    it('dedupes in the publish itself: a retry anywhere gets the original back and publishes nothing', async () => {
      const { instances } = await world();
      const first = instances[0]!;
      const other = instances[instances.length - 1]!;
      const topic = destination();
      const received = new Received();
      await first.subscribe(topic, received.listener);
      const dedupe = { key: 'u1:m1', ttlMs: 60_000 };

      const original = await first.publish({ destination: topic, headers: [], body: text('a') }, { dedupe });
      const retry = await other.publish({ destination: topic, headers: [], body: text('a') }, { dedupe });
      const fresh = await other.publish(
        { destination: topic, headers: [], body: text('b') },
        { dedupe: { key: 'u1:m2', ttlMs: 60_000 } },
      );
      // Keys are per destination.
      const elsewhere = await first.publish({ destination: destination(), headers: [], body: text('a') }, { dedupe });

      expect(original.duplicate).not.toBe(true);
      expect(retry).toMatchObject({
        duplicate: true,
        id: original.id,
        seq: original.seq,
        publishedAt: original.publishedAt,
      });
      expect(fresh).toMatchObject({ seq: original.seq + 1 });
      expect(fresh.duplicate).not.toBe(true);
      expect(elsewhere.duplicate).not.toBe(true);
      const delivered = await received.waitFor(2);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(delivered.map((message) => message.body.toString())).toEqual(['a', 'b']);
    });

    it('publishes a retry again once its dedupe key expired, and keeps no key for a publish that failed', async () => {
      const { instances } = await world();
      const [first] = instances;
      const topic = destination();
      const short = { key: 'u1:m1', ttlMs: 50 };
      const a = await first!.publish({ destination: topic, headers: [], body: text('a') }, { dedupe: short });
      await new Promise((resolve) => setTimeout(resolve, 120));
      const again = await first!.publish({ destination: topic, headers: [], body: text('a') }, { dedupe: short });
      expect(again.duplicate).not.toBe(true);
      expect(again.seq).toBe(a.seq + 1);

      // A publish that fails before sequencing (its floor cannot be read) leaves nothing behind.
      const other = destination();
      const dedupe = { key: 'u1:m9', ttlMs: 60_000 };
      const failing = () => Promise.reject(new Error('store down'));
      await expect(
        first!.publish({ destination: other, headers: [], body: text('x') }, { dedupe, sequenceFloor: failing }),
      ).rejects.toThrow('store down');
      const retried = await first!.publish(
        { destination: other, headers: [], body: text('x') },
        { dedupe, sequenceFloor: () => Promise.resolve(0) },
      );
      expect(retried).toMatchObject({ seq: 1 });
      expect(retried.duplicate).not.toBe(true);
    });

    it('asks for the sequence floor only while it does not hold the counter, and continues above it', async () => {
      const { instances } = await world();
      const first = instances[0]!;
      const other = instances[instances.length - 1]!;
      const topic = destination();
      let asked = 0;
      const sequenceFloor = () => {
        asked++;
        return Promise.resolve(41);
      };
      const a = await first.publish({ destination: topic, headers: [], body: text('a') }, { sequenceFloor });
      const b = await other.publish({ destination: topic, headers: [], body: text('b') }, { sequenceFloor });
      expect([a.seq, b.seq]).toEqual([42, 43]);
      expect(asked).toBe(1);
    });

    it('never reuses a sequence after the carrier lost its state: continues above the store, the log and what it saw', async () => {
      const created = await world();
      if (created.loseState === undefined) return; // cannot happen to this implementation
      const [publisher] = created.instances;
      const subscriber = created.instances[created.instances.length - 1]!;
      const topic = destination();
      const received = new Received();
      await subscriber.subscribe(topic, received.listener);
      let stored = 0; // the store lags: it holds 1..2 of 1..3
      const sequenceFloor = () => Promise.resolve(stored);
      for (const body of ['1', '2', '3']) {
        await publisher!.publish({ destination: topic, headers: [], body: text(body) }, { sequenceFloor });
      }
      stored = 2;
      await received.waitFor(3);
      await created.loseState();

      const after = await publisher!.publish({ destination: topic, headers: [], body: text('4') }, { sequenceFloor });
      expect(after.seq).toBe(4); // above what this instance published, although the store said 2
      const next = await subscriber.publish({ destination: topic, headers: [], body: text('5') }, { sequenceFloor });
      expect(next.seq).toBe(5);
      const delivered = await received.waitFor(5);
      expect(delivered.map((message) => [message.seq, message.body.toString()])).toEqual([
        [1, '1'],
        [2, '2'],
        [3, '3'],
        [4, '4'],
        [5, '5'],
      ]);
      // A destination that only the store remembers continues above the store.
      const quiet = destination();
      const fromStore = await subscriber.publish(
        { destination: quiet, headers: [], body: text('x') },
        { sequenceFloor: () => Promise.resolve(977) },
      );
      expect(fromStore.seq).toBe(978);
    });

    it("keeps one sender's publishes in the order made while several are in flight, through a loss of state and another instance's publishes", async () => {
      const { sender, other, topic, received } = await senderAfterLoss(await world());
      // The counter is gone (where it can be): the burst's first publish waits for a slow floor while the rest are in flight.
      // The first ask is slow, later ones quick: a publish that did not wait for the first would overtake it.
      let asks = 0;
      const sequenceFloor = () => new Promise<number>((resolve) => setTimeout(() => resolve(1), asks++ === 0 ? 50 : 0));
      const quickFloor = () => Promise.resolve(1);
      const bodies = Array.from({ length: 30 }, (_, index) => `m${index}`);
      const [burst] = await Promise.all([
        publishAsOneSender(sender, topic, bodies, { sequenceFloor }),
        other.publish({ destination: topic, headers: [], body: text('other-1') }, { sequenceFloor: quickFloor }),
        other.publish({ destination: topic, headers: [], body: text('other-2') }, { sequenceFloor: quickFloor }),
      ]);
      const published = burst.map((result) => {
        if (result.status === 'rejected') throw result.reason;
        return result.value;
      });
      expect(published.map((message) => message.body.toString())).toEqual(bodies);
      const seqs = published.map((message) => message.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      const delivered = await received.waitFor(1 + bodies.length + 2);
      const deliveredSeqs = delivered.map((message) => message.seq);
      expect(deliveredSeqs).toEqual([...deliveredSeqs].sort((a, b) => a - b));
      expect(new Set(deliveredSeqs).size).toBe(delivered.length);
      expect(delivered.map((message) => message.body.toString()).filter((body) => body.startsWith('m'))).toEqual(
        bodies,
      );
    });

    it('publishes nothing more of a sender once one of its publishes failed', async () => {
      const created = await world();
      if (created.loseState === undefined) return; // the floor is asked only after a loss of state
      const { sender, other, topic, received } = await senderAfterLoss(created);
      let asked = 0;
      const storeDown = () => {
        asked++;
        return Promise.reject(new Error('store unavailable'));
      };
      const burst = await publishAsOneSender(
        sender,
        topic,
        Array.from({ length: 10 }, (_, index) => `lost${index}`),
        { sequenceFloor: storeDown },
      );
      expect(burst.length).toBeGreaterThan(0);
      for (const result of burst) {
        expect(result.status).toBe('rejected');
        expect((result as PromiseRejectedResult).reason).toMatchObject({ message: 'store unavailable' });
      }
      expect(asked).toBe(1);
      await other.publish(
        { destination: topic, headers: [], body: text('after') },
        { sequenceFloor: () => Promise.resolve(1) },
      );
      const delivered = await received.waitFor(2);
      expect(delivered.map((message) => message.body.toString())).toEqual(['before', 'after']);
    });

    it('sequences each destination from 1 and delivers what was published', async () => {
      const { instances } = await world();
      const [first] = instances;
      const topic = destination();
      const received = new Received();
      await first!.subscribe(topic, received.listener);

      const before = Date.now();
      const published: PublishedMessage[] = [];
      for (const body of ['one', 'two', 'three']) {
        published.push(
          await first!.publish({ destination: topic, headers: [['content-type', 'text/plain']], body: text(body) }),
        );
      }

      expect(published.map((message) => message.seq)).toEqual([1, 2, 3]);
      expect(new Set(published.map((message) => message.id)).size).toBe(3);
      for (const message of published) {
        expect(message.publishedAt).toBeGreaterThanOrEqual(before - 1_000);
        expect(message.publishedAt).toBeLessThanOrEqual(Date.now() + 1_000);
      }
      const delivered = await received.waitFor(3);
      expect(delivered.map((message) => [message.seq, message.body.toString(), message.id])).toEqual(
        published.map((message) => [message.seq, message.body.toString(), message.id]),
      );
      expect(delivered[0]).toMatchObject({
        destination: topic,
        headers: [['content-type', 'text/plain']],
        publishedAt: published[0]!.publishedAt,
      });
      // Another destination has its own sequence.
      expect((await first!.publish({ destination: destination(), headers: [], body: text('x') })).seq).toBe(1);
    });

    it('keeps one order, without gaps or duplicates, on every instance under concurrent publishers', async () => {
      const { instances } = await world({ instances: 2 });
      const topic = destination();
      const receivers = instances.map(() => new Received());
      await Promise.all(instances.map((instance, i) => instance.subscribe(topic, receivers[i]!.listener)));

      const perPublisher = 300;
      const publishers = [0, 1].map((p) => instances[p % instances.length]!);
      const results = await Promise.all(
        publishers.map((instance, p) =>
          Promise.all(
            Array.from({ length: perPublisher }, (_, i) =>
              instance.publish({ destination: topic, headers: [['x-n', `${p}:${i}`]], body: text(`${p}:${i}`) }),
            ),
          ),
        ),
      );
      const total = perPublisher * publishers.length;
      const bySeq = new Map(results.flat().map((message) => [message.seq, message.id]));
      expect([...bySeq.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));

      const orders = await Promise.all(receivers.map((received) => received.waitFor(total)));
      for (const delivered of orders) {
        expect(delivered).toHaveLength(total);
        expect(delivered.map((message) => message.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        expect(delivered.every((message) => bySeq.get(message.seq) === message.id)).toBe(true);
      }
      // Each publisher's own messages keep the order it issued them in.
      for (let p = 0; p < publishers.length; p++) {
        const mine = orders[0]!
          .filter((message) => message.body.toString().startsWith(`${p}:`))
          .map((message) => message.body.toString());
        expect(mine).toEqual(Array.from({ length: perPublisher }, (_, i) => `${p}:${i}`));
      }
    });

    it('stops delivering after unsubscribe', async () => {
      const { instances } = await world({ instances: 2 });
      const subscriber = instances[0]!;
      const publisher = instances[instances.length - 1]!;
      const topic = destination();
      const fence = destination();
      const received = new Received();
      const fenced = new Received();
      await subscriber.subscribe(topic, received.listener);
      await subscriber.subscribe(fence, fenced.listener);

      await publisher.publish({ destination: topic, headers: [], body: text('before') });
      await received.waitFor(1);
      await subscriber.unsubscribe(topic);
      await publisher.publish({ destination: topic, headers: [], body: text('after') });
      // Same publisher, same subscriber: once the fence arrives, 'after' would have too.
      await publisher.publish({ destination: fence, headers: [], body: text('fence') });
      await fenced.waitFor(1);

      expect(received.messages.map((message) => message.body.toString())).toEqual(['before']);
    });

    it('reads back exactly the messages after a sequence, from any instance', async () => {
      const { instances } = await world();
      const topic = destination();
      for (let i = 1; i <= 5; i++)
        await instances[0]!.publish({ destination: topic, headers: [], body: text(`m${i}`) });
      const reader = instances[instances.length - 1]!;

      const afterTwo = await reader.readRecent(topic, 2, 10);
      expect(afterTwo.messages.map((message) => [message.seq, message.body.toString()])).toEqual([
        [3, 'm3'],
        [4, 'm4'],
        [5, 'm5'],
      ]);
      expect(afterTwo).toMatchObject({ complete: true, lastSeq: 5 });
      expect(afterTwo.messages[0]).toMatchObject({ destination: topic, headers: [] });

      const limited = await reader.readRecent(topic, 0, 2);
      expect(limited.messages.map((message) => message.seq)).toEqual([1, 2]);
      expect(limited).toMatchObject({ complete: true, lastSeq: 5 });

      expect(await reader.readRecent(topic, 5, 10)).toEqual({ messages: [], complete: true, lastSeq: 5 });
      expect(await reader.readRecent(destination(), 0, 10)).toEqual({ messages: [], complete: true, lastSeq: 0 });
    });

    it('says the replay is incomplete once the capped log was trimmed', async () => {
      const { instances } = await world({ instances: 1, logCapacity: 5 });
      const [backplane] = instances;
      const topic = destination();
      const total = 250;
      for (let i = 1; i <= total; i++)
        await backplane!.publish({ destination: topic, headers: [], body: text(`m${i}`) });

      const fromStart = await backplane!.readRecent(topic, 0, 10);
      expect(fromStart.complete).toBe(false);
      expect(fromStart.lastSeq).toBe(total);
      // Whatever is left is the newest, contiguous part of the sequence.
      const seqs = fromStart.messages.map((message) => message.seq);
      expect(seqs[0]).toBeGreaterThan(1);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));

      const tail = await backplane!.readRecent(topic, total - 3, 10);
      expect(tail.messages.map((message) => message.seq)).toEqual([total - 2, total - 1, total]);
      expect(tail.complete).toBe(true);
    });

    it('carries binary bodies byte for byte, NULs included', async () => {
      const { instances } = await world();
      const topic = destination();
      const received = new Received();
      await instances[0]!.subscribe(topic, received.listener);
      const body = Buffer.concat([
        Buffer.from([0, 0, 10, 0]),
        Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
        Buffer.from('\0end\0'),
      ]);
      const empty = Buffer.alloc(0);

      await instances[instances.length - 1]!.publish({ destination: topic, headers: [], body });
      await instances[instances.length - 1]!.publish({ destination: topic, headers: [], body: empty });

      const [live, liveEmpty] = await received.waitFor(2);
      expect(live!.body.equals(body)).toBe(true);
      expect(liveEmpty!.body.length).toBe(0);
      const replayed = await instances[0]!.readRecent(topic, 0, 10);
      expect(replayed.messages[0]!.body.equals(body)).toBe(true);
      expect(replayed.messages[1]!.body.length).toBe(0);
    });

    it('keeps headers in order, repeated names and non-ASCII values included', async () => {
      const { instances } = await world();
      const topic = destination();
      const received = new Received();
      await instances[0]!.subscribe(topic, received.listener);
      const headers: Array<readonly [string, string]> = [
        ['content-type', 'application/json;charset=utf-8'],
        ['x-b', '2'],
        ['x-a', '1'],
        ['x-b', 'again'],
        ['x-unicode', 'héllo wörld ✓ 你好'],
        ['x-empty', ''],
        ['x-colon', 'a:b\\c'],
      ];

      await instances[instances.length - 1]!.publish({ destination: topic, headers, body: text('{}') });

      const [message] = await received.waitFor(1);
      expect(message!.headers).toEqual(headers);
      expect((await instances[0]!.readRecent(topic, 0, 1)).messages[0]!.headers).toEqual(headers);
    });

    it('delivers ephemeral messages without sequencing or logging them', async () => {
      const { instances } = await world();
      const topic = destination();
      const received = new Received();
      await instances[0]!.subscribe(topic, received.listener);
      const publisher = instances[instances.length - 1]!;

      await publisher.publish({ destination: topic, headers: [], body: text('kept') });
      const typing = await publisher.publish({
        destination: topic,
        headers: [['x-kind', 'typing']],
        body: text('...'),
        ephemeral: true,
      });
      const next = await publisher.publish({ destination: topic, headers: [], body: text('kept too') });

      expect(typing.seq).toBe(0);
      expect(typing.id).toBeTruthy();
      expect(next.seq).toBe(2);
      const delivered = await received.waitFor(3);
      expect(delivered.map((message) => [message.seq, message.body.toString()])).toEqual([
        [1, 'kept'],
        [0, '...'],
        [2, 'kept too'],
      ]);
      expect(delivered[1]).toMatchObject({ ephemeral: true, headers: [['x-kind', 'typing']] });
      const replay = await publisher.readRecent(topic, 0, 10);
      expect(replay.messages.map((message) => message.body.toString())).toEqual(['kept', 'kept too']);
      expect(replay.lastSeq).toBe(2);
    });

    it('sends control events to every instance, the sender included', async () => {
      const { instances } = await world({ instances: 2 });
      const seen = instances.map(() => [] as ControlEvent[]);
      instances.forEach((instance, i) => instance.onControl((event) => seen[i]!.push(event)));
      const event: ControlEvent = { type: 'membership-changed', roomId: 'r1', userId: 42, removed: true };

      await instances[0]!.publishControl(event);

      const deadline = Date.now() + 5_000;
      while (seen.some((events) => events.length === 0) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
      for (const events of seen) expect(events).toContainEqual(event);
    });

    it('answers ping while open, and rejects publish and ping clearly once closed', async () => {
      const { instances } = await world({ instances: 1 });
      const [backplane] = instances;
      await expect(backplane!.ping()).resolves.toBeUndefined();

      await backplane!.close();

      await expect(backplane!.publish({ destination: destination(), headers: [], body: text('late') })).rejects.toThrow(
        /closed/,
      );
      await expect(backplane!.ping()).rejects.toThrow(/closed/);
    });
  });
}
