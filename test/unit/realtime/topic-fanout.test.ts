import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { LocalBackplane } from '../../../app/src/backplane/local-backplane.js';
import type { Subscriber, Subscription } from '../../../app/src/realtime/subscription.js';
import { TopicFanout } from '../../../app/src/realtime/topic-fanout.js';
import { EARLY_RELEASE_EVERY, LARGE_FAN_OUT, TickCork } from '../../../app/src/streams/tick-cork.js';

const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));

/** A subscriber writing each MESSAGE to its own stream through a TickCork, as a session does. */
class StreamSubscriber implements Subscriber {
  readonly stream = new PassThrough();
  readonly flushes: number[] = [];
  private readonly cork = new TickCork(this.stream);

  constructor(private readonly onDeliver: () => void = () => {}) {
    this.stream.resume();
    this.stream._writev = (chunks, callback) => {
      this.flushes.push(chunks.length);
      callback();
    };
    this.stream._write = (_chunk, _encoding, callback) => {
      this.flushes.push(1);
      callback();
    };
  }

  deliver(): void {
    this.onDeliver();
    this.cork.hold();
    this.stream.write('MESSAGE');
  }
}

async function fanOutTo(count: number, onDeliver: (index: number) => void = () => {}) {
  const backplane = new LocalBackplane();
  const fanout = new TopicFanout(backplane);
  const subscribers = Array.from({ length: count }, (_, index) => new StreamSubscriber(() => onDeliver(index)));
  for (const [index, subscriber] of subscribers.entries()) {
    const subscription: Subscription = { id: `sub-${index}`, destination: '/topic/t', ackMode: 'auto', subscriber };
    await fanout.add(subscription);
  }
  return { backplane, subscribers };
}

describe('TopicFanout with held sockets', () => {
  it("writes a large fan-out's first subscribers while its loop is still running", async () => {
    const count = LARGE_FAN_OUT + 1;
    let flushedBeforeLast = 0;
    const { backplane, subscribers } = await fanOutTo(count, (index) => {
      if (index === count - 1) flushedBeforeLast = subscribers.filter((s) => s.flushes.length > 0).length;
    });
    await backplane.publish({ destination: '/topic/t', headers: [], body: Buffer.from('x') });
    // Every whole batch before the last subscriber had left by the time the loop reached it.
    expect(flushedBeforeLast).toBe(Math.floor((count - 1) / EARLY_RELEASE_EVERY) * EARLY_RELEASE_EVERY);
    await nextTick();
    expect(subscribers.every((subscriber) => subscriber.flushes.length === 1)).toBe(true);
  });

  it('holds every write of a smaller fan-out, and of a second large one, until the tick ends', async () => {
    const { backplane, subscribers } = await fanOutTo(LARGE_FAN_OUT + 1);
    const publish = () => backplane.publish({ destination: '/topic/t', headers: [], body: Buffer.from('x') });
    await Promise.all([publish(), publish()]);
    const [first] = subscribers;
    const last = subscribers[subscribers.length - 1];
    await nextTick();
    // The first message left early for the first batch; the second one joined the tick's last write.
    expect(first.flushes).toEqual([1, 1]);
    expect(last.flushes).toEqual([2]);

    const small = await fanOutTo(LARGE_FAN_OUT);
    await small.backplane.publish({ destination: '/topic/t', headers: [], body: Buffer.from('x') });
    expect(small.subscribers.some((subscriber) => subscriber.flushes.length > 0)).toBe(false);
    await nextTick();
    expect(small.subscribers.every((subscriber) => subscriber.flushes.length === 1)).toBe(true);
  });
});
