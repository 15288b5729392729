/**
 * What one member saw of one room's sequence (`x-seq`, strictly increasing, no gaps on the
 * server side). Pure, so the gap and duplicate arithmetic is unit-tested without a server.
 *
 * A member is expected to receive every message between the first and the last `x-seq` it
 * saw; what it did not see inside that span is a gap, what it saw twice a duplicate. The
 * span carries over a resume (SUBSCRIBE with `x-since-seq: lastSeq`), so a replay that skips
 * or repeats a message shows here.
 */
export class SequenceLedger {
  private first: number | undefined;
  private last: number | undefined;
  private readonly seen = new Set<number>();
  private duplicateCount = 0;

  /** Records one delivery; returns false when it was a duplicate. */
  record(seq: number): boolean {
    if (this.seen.has(seq)) {
      this.duplicateCount++;
      return false;
    }
    this.seen.add(seq);
    if (this.first === undefined || seq < this.first) this.first = seq;
    if (this.last === undefined || seq > this.last) this.last = seq;
    return true;
  }

  /** The last x-seq seen, for `x-since-seq` on resume; undefined before the first message. */
  get lastSeq(): number | undefined {
    return this.last;
  }

  get delivered(): number {
    return this.seen.size;
  }

  get expected(): number {
    return this.first === undefined || this.last === undefined ? 0 : this.last - this.first + 1;
  }

  get gaps(): number {
    return this.expected - this.delivered;
  }

  get duplicates(): number {
    return this.duplicateCount;
  }
}
