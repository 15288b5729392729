/** How many of one session's SENDs may await their durability at once. */
export const MAX_SENDS_IN_FLIGHT = 64;

/**
 * One session's SENDs that already have their place in their destination's order but are not
 * done yet (on RabbitMQ: sequenced, the publisher confirm pending).
 *
 * A SEND holds back the frames behind it only until it is in order (PublishOptions.onOrdered),
 * so on a backplane whose durability comes after sequencing a session keeps several SENDs in
 * flight instead of one confirm round trip each. What the client sees does not change: each
 * SEND's outcome (its RECEIPT, or the ERROR that ends the session) is applied in frame order,
 * after every earlier SEND's, so a RECEIPT still says that this SEND and all before it are
 * done. A SEND that is never put in order early (an /app handler, the Redis backplane) holds
 * the frames behind it until it is done, as before.
 */
export class SendPipeline {
  /** Resolves true once every SEND added so far finished, false once one of them failed. */
  private tail: Promise<boolean> | undefined;
  private inFlight = 0;

  /**
   * Starts a SEND: `start` carries it out and calls `ordered` when it is in order. `finish`
   * applies its result and `fail` its error, in frame order; neither runs after an earlier SEND
   * failed. Resolves when the next frame may be handled.
   */
  add<T>(
    start: (ordered: () => void) => Promise<T>,
    finish: (result: T) => void,
    fail: (error: unknown) => void,
  ): Promise<void> {
    let ordered!: () => void;
    const inOrder = new Promise<void>((resolve) => (ordered = resolve));
    const done = start(ordered);
    const earlier = this.tail ?? Promise.resolve(true);
    this.inFlight++;
    const mine: Promise<boolean> = Promise.all([earlier, done]).then(
      ([earlierOk, result]) => {
        if (earlierOk) finish(result);
        return earlierOk;
      },
      (error: unknown) => {
        fail(error);
        return false;
      },
    );
    this.tail = mine;
    const settled = mine.then(() => {
      this.inFlight--;
      if (this.tail === mine) this.tail = undefined;
    });
    return this.inFlight < MAX_SENDS_IN_FLIGHT ? Promise.race([inOrder, settled]) : settled;
  }

  /** Resolves once every SEND added so far has finished or failed; undefined when none is pending. */
  drained(): Promise<unknown> | undefined {
    return this.tail;
  }
}
