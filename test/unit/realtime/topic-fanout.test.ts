import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { LocalBackplane } from '../../../app/src/backplane/local-backplane.js';
import type { Subscriber, Subscription } from '../../../app/src/realtime/subscription.js';
import { TopicFanout } from '../../../app/src/realtime/topic-fanout.js';
import { EARLY_RELEASE_EVERY, LARGE_FAN_OUT, TickCork } from '../../../app/src/streams/tick-cork.js';
import { nextTick, quietTick } from '../../support/ticks.js';

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
  it("writes a tick's only large fan-out through: each frame leaves before the loop reaches the next subscriber", async () => {
    const count = LARGE_FAN_OUT + 1;
    // How many had their frame by the time the loop reached each subscriber (held or released in
    // batches of EARLY_RELEASE_EVERY, the first ones would still be waiting).
    const flushedBefore: number[] = [];
    const { backplane, subscribers } = await fanOutTo(count, (index) => {
      flushedBefore.push(subscribers.filter((s) => s.flushes.length > 0).length);
      expect(index).toBe(flushedBefore.length - 1);
    });
    await quietTick();
    await backplane.publish({ destination: '/topic/t', headers: [], body: Buffer.from('x') });
    expect(flushedBefore).toEqual(Array.from({ length: count }, (_, index) => index));
    await nextTick();
    expect(subscribers.every((subscriber) => subscriber.flushes.length === 1)).toBe(true);
    expect(subscribers.every((subscriber) => subscriber.stream.writableCorked === 0)).toBe(true);
  });

  it('holds a smaller fan-out until the tick ends, even alone in its tick', async () => {
    const { backplane, subscribers } = await fanOutTo(LARGE_FAN_OUT);
    await quietTick();
    await backplane.publish({ destination: '/topic/t', headers: [], body: Buffer.from('x') });
    expect(subscribers.some((subscriber) => subscriber.flushes.length > 0)).toBe(false);
    await nextTick();
    expect(subscribers.every((subscriber) => subscriber.flushes.join() === '1')).toBe(true);
  });

  it("writes a held large fan-out's first subscribers while its loop is still running", async () => {
    const count = LARGE_FAN_OUT + 1;
    let flushedBeforeLast = 0;
    let round = 0;
    const { backplane, subscribers } = await fanOutTo(count, (index) => {
      if (round === 2 && index === count - 1) {
        flushedBeforeLast = subscribers.filter((s) => s.flushes.length > 0).length;
      }
    });
    const publish = () => backplane.publish({ destination: '/topic/t', headers: [], body: Buffer.from('x') });
    // A busy tick (two fan-outs), then one fan-out in the tick after it, which holds.
    await quietTick();
    round = 1;
    await Promise.all([publish(), publish()]);
    await nextTick();
    for (const subscriber of subscribers) subscriber.flushes.length = 0;
    round = 2;
    await publish();
    // Every whole batch before the last subscriber had left by the time the loop reached it.
    expect(flushedBeforeLast).toBe(Math.floor((count - 1) / EARLY_RELEASE_EVERY) * EARLY_RELEASE_EVERY);
    await nextTick();
    expect(subscribers.every((subscriber) => subscriber.flushes.join() === '1')).toBe(true);
  });
});
