import { describe, expect, it } from '@jest/globals';
import { SequenceLedger } from '../../loadtest/processor/sequence-ledger.js';

function ledgerOf(...seqs: number[]): SequenceLedger {
  const ledger = new SequenceLedger();
  for (const seq of seqs) ledger.record(seq);
  return ledger;
}

describe('SequenceLedger', () => {
  it('expects nothing before the first message', () => {
    const ledger = new SequenceLedger();
    expect([ledger.expected, ledger.delivered, ledger.gaps, ledger.lastSeq]).toEqual([0, 0, 0, undefined]);
  });

  it('expects every x-seq between the first and the last it saw, not what came before it joined', () => {
    const ledger = ledgerOf(41, 42, 43, 44);
    expect([ledger.expected, ledger.delivered, ledger.gaps, ledger.duplicates]).toEqual([4, 4, 0, 0]);
    expect(ledger.lastSeq).toBe(44);
  });

  it('counts what is missing inside the span as gaps', () => {
    const ledger = ledgerOf(1, 2, 5, 6);
    expect([ledger.expected, ledger.delivered, ledger.gaps]).toEqual([6, 4, 2]);
  });

  it('counts a repeat as a duplicate, not as a delivery', () => {
    const ledger = ledgerOf(1, 2, 2, 3, 1);
    expect(ledger.record(3)).toBe(false);
    expect([ledger.delivered, ledger.duplicates, ledger.gaps]).toEqual([3, 3, 0]);
  });

  it('closes a gap when a resume replays the missed messages out of order', () => {
    const ledger = ledgerOf(1, 2, 6);
    for (const seq of [3, 4, 5]) ledger.record(seq);
    expect([ledger.expected, ledger.delivered, ledger.gaps]).toEqual([6, 6, 0]);
  });
});
