import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import {
  EARLY_RELEASE_EVERY,
  earlyReleaseInterval,
  endFanOut,
  LARGE_FAN_OUT,
  releaseHeldNow,
  startFanOut,
  TickCork,
  WRITE_THROUGH,
} from '../../../app/src/streams/tick-cork.js';
import { nextTick, quietTick } from '../../support/ticks.js';

/** A real stream whose _writev/_write calls are counted: one call = one system call on a socket. */
function countingStream(): { stream: PassThrough; flushes: string[][] } {
  const flushes: string[][] = [];
  const stream = new PassThrough();
  stream.resume();
  const original = stream._write.bind(stream);
  stream._writev = (chunks, callback) => {
    flushes.push(chunks.map(({ chunk }) => String(chunk)));
    callback();
  };
  stream._write = (chunk, encoding, callback) => {
    flushes.push([String(chunk)]);
    original(chunk, encoding, callback);
  };
  return { stream, flushes };
}

describe('TickCork', () => {
  it('sends what one tick wrote, promise callbacks included, as one flush after the tick', async () => {
    const { stream, flushes } = countingStream();
    const cork = new TickCork(() => stream);
    const write = (text: string) => {
      cork.hold();
      stream.write(text);
    };
    write('a');
    await Promise.resolve().then(() => write('b'));
    write('c');
    expect(flushes).toEqual([]);
    await nextTick();
    expect(flushes).toEqual([['a', 'b', 'c']]);
  });

  it('takes a fixed stream as well as a function that finds the current one', async () => {
    const { stream, flushes } = countingStream();
    const cork = new TickCork(stream);
    cork.hold();
    stream.write('a');
    cork.hold();
    stream.write('b');
    expect(flushes).toEqual([]);
    await nextTick();
    expect(flushes).toEqual([['a', 'b']]);
    expect(stream.writableCorked).toBe(0);
  });

  it('corks again in a later tick, and leaves a stream it never held uncorked', async () => {
    const { stream, flushes } = countingStream();
    const cork = new TickCork(() => stream);
    cork.hold();
    stream.write('first');
    await nextTick();
    expect(stream.writableCorked).toBe(0);
    cork.hold();
    stream.write('second');
    expect(stream.writableCorked).toBe(1);
    await nextTick();
    expect(stream.writableCorked).toBe(0);
    expect(flushes).toEqual([['first'], ['second']]);
  });

  it('releases the stream it corked even when the owner has replaced it since', async () => {
    const first = countingStream();
    const second = countingStream();
    let current = first.stream;
    const cork = new TickCork(() => current);
    cork.hold();
    first.stream.write('old');
    current = second.stream;
    await nextTick();
    expect(first.stream.writableCorked).toBe(0);
    expect(second.stream.writableCorked).toBe(0);
    expect(first.flushes).toEqual([['old']]);
  });

  it('releases every stream held in one tick, and one held again while releasing', async () => {
    const a = countingStream();
    const b = countingStream();
    const corkA = new TickCork(() => a.stream);
    const corkB = new TickCork(() => b.stream);
    corkA.hold();
    a.stream.write('a1');
    corkB.hold();
    b.stream.write('b1');
    // A write triggered by A's flush (as a drain handler might do) holds B again mid-pass.
    a.stream.once('data', () => {
      corkB.hold();
      b.stream.write('b2');
    });
    await nextTick();
    await nextTick();
    expect(a.stream.writableCorked).toBe(0);
    expect(b.stream.writableCorked).toBe(0);
    expect(a.flushes).toEqual([['a1']]);
    expect(b.flushes.flat()).toEqual(['b1', 'b2']);
  });

  it("lets the tick's first large fan-out release in batches, and holds the rest of the tick", async () => {
    const streams = Array.from({ length: 3 }, () => countingStream());
    const corks = streams.map(({ stream }) => new TickCork(stream));
    const write = (index: number, text: string): void => {
      corks[index].hold();
      streams[index].stream.write(text);
    };
    // A small fan-out never releases early, and leaves the tick's first large one its turn.
    expect(earlyReleaseInterval(LARGE_FAN_OUT)).toBe(0);
    expect(earlyReleaseInterval(LARGE_FAN_OUT + 1)).toBe(EARLY_RELEASE_EVERY);
    write(0, 'm1');
    write(1, 'm1');
    releaseHeldNow();
    // Released at once: the first subscribers' frames leave while the loop goes on.
    expect(streams[0].flushes).toEqual([['m1']]);
    expect(streams[1].flushes).toEqual([['m1']]);
    write(2, 'm1');
    expect(streams[2].flushes).toEqual([]);
    // A second large fan-out in the same tick batches as usual, with what the first left held.
    expect(earlyReleaseInterval(LARGE_FAN_OUT + 1)).toBe(0);
    write(0, 'm2');
    write(2, 'm2');
    await nextTick();
    expect(streams.map(({ flushes }) => flushes)).toEqual([[['m1'], ['m2']], [['m1']], [['m1', 'm2']]]);
    expect(streams.every(({ stream }) => stream.writableCorked === 0)).toBe(true);
    // The next tick starts over.
    expect(earlyReleaseInterval(LARGE_FAN_OUT + 1)).toBe(EARLY_RELEASE_EVERY);
    await nextTick();
  });

  it("lets a tick's only large fan-out write through, and holds again once the fan-out ends", async () => {
    const { stream, flushes } = countingStream();
    const cork = new TickCork(stream);
    await quietTick();

    expect(startFanOut(LARGE_FAN_OUT + 1)).toBe(WRITE_THROUGH);
    cork.hold();
    stream.write('delivery');
    expect(flushes).toEqual([['delivery']]);
    expect(stream.writableCorked).toBe(0);
    endFanOut();
    cork.hold();
    stream.write('receipt');
    expect(flushes).toEqual([['delivery']]);
    await nextTick();
    expect(flushes).toEqual([['delivery'], ['receipt']]);
  });

  it('holds a small fan-out, the second of a tick, and every one in the tick after such a tick', async () => {
    const large = LARGE_FAN_OUT + 1;
    await quietTick();
    expect(startFanOut(LARGE_FAN_OUT)).toBe(0);
    endFanOut();
    await nextTick();

    expect(startFanOut(large)).toBe(WRITE_THROUGH);
    endFanOut();
    // The tick's second large fan-out is the first one held, so it releases early.
    expect(startFanOut(large)).toBe(EARLY_RELEASE_EVERY);
    endFanOut();
    await nextTick();
    // Busy last tick: this one holds from its first fan-out.
    expect(startFanOut(large)).toBe(EARLY_RELEASE_EVERY);
    endFanOut();
    await nextTick();
    // That tick had one fan-out: the next one writes through again.
    expect(startFanOut(large)).toBe(WRITE_THROUGH);
    endFanOut();
    await nextTick();
  });
});
