/**
 * Per-subscriber loss detection: each publisher connection numbers its messages 0, 1, 2, …
 * and the server keeps per-publisher order on a subscription, so a jump in the sequence is
 * exactly the number of messages lost — independent of where the measurement window's edges
 * fall, unlike comparing "sent × subscribers" with "received".
 */
export class SequenceTracker {
  private readonly last = new Map<number, number>();

  /**
   * Records one delivery. Returns how many messages from this publisher were skipped just
   * before it (0 normally), or -1 when it is a duplicate or arrived out of order.
   * The first message seen from a publisher only sets the starting point.
   */
  observe(publisher: number, seq: number): number {
    const previous = this.last.get(publisher);
    if (previous !== undefined && seq <= previous) return -1;
    this.last.set(publisher, seq);
    return previous === undefined ? 0 : seq - previous - 1;
  }
}
