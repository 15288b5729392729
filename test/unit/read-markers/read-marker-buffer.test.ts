import { describe, expect, it } from '@jest/globals';
import { ReadMarkerBuffer } from '../../../app/src/read-markers/read-marker-buffer.js';

describe('ReadMarkerBuffer', () => {
  it('keeps only the highest report per room and user', () => {
    const buffer = new ReadMarkerBuffer();
    expect(buffer.record('u1', 'r1', 5)).toBe(5);
    expect(buffer.record('u1', 'r1', 3)).toBe(5);
    expect(buffer.record('u1', 'r1', 9)).toBe(9);
    buffer.record('u1', 'r2', 1);
    buffer.record('u2', 'r1', 2);
    expect(buffer.size).toBe(3);
    expect(buffer.pendingFor('u1')).toEqual(
      new Map([
        ['r1', 9],
        ['r2', 1],
      ]),
    );
    expect(buffer.pendingFor('nobody')).toEqual(new Map());
  });

  it('hands everything over ordered by room then user, and is empty afterwards', () => {
    const buffer = new ReadMarkerBuffer();
    buffer.record('u2', 'r2', 1);
    buffer.record('u1', 'r2', 2);
    buffer.record('u3', 'r1', 3);
    expect(buffer.take()).toEqual([
      { roomId: 'r1', userId: 'u3', seq: 3 },
      { roomId: 'r2', userId: 'u1', seq: 2 },
      { roomId: 'r2', userId: 'u2', seq: 1 },
    ]);
    expect(buffer.size).toBe(0);
    expect(buffer.take()).toEqual([]);
  });

  it('puts back a failed batch without lowering what was reported meanwhile', () => {
    const buffer = new ReadMarkerBuffer();
    buffer.record('u1', 'r1', 4);
    buffer.record('u1', 'r2', 4);
    const failed = buffer.take();
    buffer.record('u1', 'r1', 7);
    buffer.restore(failed);
    expect(buffer.pendingFor('u1')).toEqual(
      new Map([
        ['r1', 7],
        ['r2', 4],
      ]),
    );
  });

  it('keeps what a flush took visible to this instance until the write is settled', () => {
    const buffer = new ReadMarkerBuffer();
    buffer.record('u1', 'r1', 3);
    buffer.record('u1', 'r2', 5);
    const writing = buffer.take();
    expect(buffer.size).toBe(0);
    buffer.record('u1', 'r2', 2);
    buffer.record('u1', 'r3', 1);
    expect(buffer.pendingFor('u1')).toEqual(
      new Map([
        ['r1', 3],
        ['r2', 5],
        ['r3', 1],
      ]),
    );
    expect(buffer.take()).toEqual([
      { roomId: 'r2', userId: 'u1', seq: 2 },
      { roomId: 'r3', userId: 'u1', seq: 1 },
    ]);
    buffer.settle();
    expect(buffer.pendingFor('u1')).toEqual(new Map());
    expect(writing).toHaveLength(2);
  });
});
