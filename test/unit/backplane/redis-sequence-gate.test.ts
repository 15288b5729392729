import { describe, expect, it } from '@jest/globals';
import type { PublishedMessage, RecentMessages } from '../../../app/src/backplane/backplane.port.js';
import { REPAIR_PAGE, SequenceGate } from '../../../app/src/backplane/redis-sequence-gate.js';

const message = (seq: number): PublishedMessage => ({
  destination: '/topic/t',
  headers: [],
  body: Buffer.from(String(seq)),
  id: `id-${seq}`,
  seq,
  publishedAt: 0,
});

/** A gate over a fake replay log holding `firstKept..lastSeq`. */
function harness(log: { firstKept: number; lastSeq: number; failing?: boolean }) {
  const delivered: number[] = [];
  const losses: Array<[number, number]> = [];
  const reads: number[] = [];
  const gate = new SequenceGate({
    deliver: (m) => delivered.push(m.seq),
    readAfter: async (afterSeq, limit): Promise<RecentMessages> => {
      reads.push(afterSeq);
      await Promise.resolve();
      if (log.failing) throw new Error('redis down');
      const from = Math.max(afterSeq + 1, log.firstKept);
      const messages = [];
      for (let seq = from; seq <= log.lastSeq && messages.length < limit; seq++) messages.push(message(seq));
      return { messages, complete: afterSeq + 1 >= log.firstKept || log.lastSeq <= afterSeq, lastSeq: log.lastSeq };
    },
    onLoss: (from, to) => losses.push([from, to]),
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
  return { gate, delivered, losses, reads, settle };
}

describe('SequenceGate', () => {
  it('passes messages in sequence straight through, starting wherever the first one is', () => {
    const { gate, delivered, reads } = harness({ firstKept: 1, lastSeq: 100 });
    for (const seq of [7, 8, 9]) gate.accept(message(seq));
    expect(delivered).toEqual([7, 8, 9]);
    expect(reads).toEqual([]);
  });

  it('fills a gap from the log, holding newer live messages until it is filled', async () => {
    const { gate, delivered, losses, settle } = harness({ firstKept: 1, lastSeq: 8 });
    gate.accept(message(3));
    gate.accept(message(7)); // 4..6 were missed
    gate.accept(message(8));
    expect(delivered).toEqual([3]);
    await settle();
    expect(delivered).toEqual([3, 4, 5, 6, 7, 8]);
    expect(losses).toEqual([]);
  });

  it('drops duplicates and lets ephemeral messages through at once', async () => {
    const { gate, delivered, settle } = harness({ firstKept: 1, lastSeq: 5 });
    gate.accept(message(1));
    gate.accept(message(1));
    gate.accept(message(0));
    gate.accept(message(2));
    expect(delivered).toEqual([1, 0, 2]);
    await settle();
  });

  it('reports what the log no longer holds and carries on from what it has', async () => {
    const { gate, delivered, losses, settle } = harness({ firstKept: 6, lastSeq: 9 });
    gate.accept(message(2));
    gate.accept(message(9));
    await settle();
    expect(losses).toEqual([[3, 5]]);
    expect(delivered).toEqual([2, 6, 7, 8, 9]);
  });

  it('gives up on a gap it cannot read, rather than holding live traffic', async () => {
    const { gate, delivered, losses, settle } = harness({ firstKept: 1, lastSeq: 9, failing: true });
    gate.accept(message(2));
    gate.accept(message(5));
    gate.accept(message(6));
    await settle();
    expect(losses).toEqual([[3, 4]]);
    expect(delivered).toEqual([2, 5, 6]);
  });

  it('catches up after a reconnect even when nothing new arrives, page by page', async () => {
    const log = { firstKept: 1, lastSeq: 1 };
    const { gate, delivered, reads, settle } = harness(log);
    gate.accept(message(1));
    log.lastSeq = 1 + REPAIR_PAGE + 10;
    gate.catchUp();
    await settle();
    expect(delivered).toEqual(Array.from({ length: log.lastSeq }, (_, i) => i + 1));
    expect(reads).toEqual([1, 1 + REPAIR_PAGE]);
  });

  it('starts over when the sequence restarts at 1 (the keys were deleted)', () => {
    const { gate, delivered } = harness({ firstKept: 1, lastSeq: 1 });
    gate.accept(message(41));
    gate.accept(message(1));
    gate.accept(message(2));
    expect(delivered).toEqual([41, 1, 2]);
  });
});
