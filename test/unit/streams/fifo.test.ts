import { describe, expect, it } from '@jest/globals';
import { Fifo } from '../../../app/src/streams/fifo.js';

describe('Fifo', () => {
  it('gives items back in order, and undefined when empty', () => {
    const queue = new Fifo<number>();
    expect(queue.shift()).toBeUndefined();
    queue.push(1);
    queue.push(2);
    expect(queue.length).toBe(2);
    expect(queue.shift()).toBe(1);
    queue.push(3);
    expect([queue.shift(), queue.shift(), queue.shift()]).toEqual([2, 3, undefined]);
    expect(queue.length).toBe(0);
  });

  it('keeps order through a long backlog consumed while it grows', () => {
    const queue = new Fifo<number>();
    const out: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) queue.push(next++);
      for (let i = 0; i < 60; i++) out.push(queue.shift()!);
    }
    while (queue.length > 0) out.push(queue.shift()!);
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
  });

  it('shows the oldest item without taking it', () => {
    const queue = new Fifo<string>();
    expect(queue.peek()).toBeUndefined();
    queue.push('a');
    queue.push('b');
    expect(queue.peek()).toBe('a');
    expect(queue.length).toBe(2);
    queue.shift();
    expect(queue.peek()).toBe('b');
  });

  it('forgets everything on clear', () => {
    const queue = new Fifo<string>();
    queue.push('a');
    queue.clear();
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });
});
