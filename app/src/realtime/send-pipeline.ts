/** How many of one session's SENDs may await their durability at once. */
export const MAX_SENDS_IN_FLIGHT = 64;

/**
 * One session's SENDs that already have their place in their destination's order but are not
 * done yet (on RabbitMQ: sequenced, the publisher confirm pending; on Redis: the publish script
 * written, its reply pending, the order held by the script's order key).
 *
 * A SEND holds back the frames behind it only until it is in order (PublishOptions.onOrdered),
 * so a session keeps several SENDs in flight instead of one round trip each. What the client sees does not change: each
 * SEND's outcome (its RECEIPT, or the ERROR that ends the session) is applied in frame order,
 * after every earlier SEND's, so a RECEIPT still says that this SEND and all before it are
 * done. A SEND that is never put in order early (an /app handler) holds
 * the frames behind it until it is done, as before. Sessions use this only on a backplane that
 * says so (Backplane.ordersBeforeDone); elsewhere a SEND is ordered and done in one step.
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
    // Resolved by `ordered`, or once the SEND is done: whichever comes first lets the next frame go.
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const done = start(release);
    const earlier = this.tail;
    const apply = (result: T) => {
      finish(result);
      return true;
    };
    const report = (error: unknown) => {
      fail(error);
      return false;
    };
    // Few promises on the way: every SEND of every session passes here.
    const mine: Promise<boolean> =
      earlier === undefined
        ? done.then(apply, report)
        : Promise.all([earlier, done]).then(([earlierOk, result]) => earlierOk && apply(result), report);
    this.tail = mine;
    this.inFlight++;
    const settled = mine.then(() => {
      this.inFlight--;
      if (this.tail === mine) this.tail = undefined;
      release();
    });
    return this.inFlight < MAX_SENDS_IN_FLIGHT ? next : settled;
  }

  /** Resolves once every SEND added so far has finished or failed; undefined when none is pending. */
  drained(): Promise<unknown> | undefined {
    return this.tail;
  }
}
