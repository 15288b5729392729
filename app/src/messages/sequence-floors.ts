import { AppError } from '../errors/app-error.js';
import { withinTime } from '../errors/within-time.js';

/**
 * The floor under a room's sequence: the newest sequence the message store holds. A publish to a
 * room hands it to the backplane (PublishOptions.sequenceFloor), which asks for it only when it
 * does not hold the room's counter: the room's very first message, or after the backplane lost
 * its state (the embedded default restarted; Redis restarted empty or failed over). Nothing is
 * cached here, so a loss in the middle of a process's life is handled like one at its start.
 *
 * The store is the judge of uniqueness, so without its answer no number is handed out: a store
 * that fails or does not answer within `timeoutMs` makes the SEND fail with
 * MESSAGE_STORE_UNAVAILABLE (the client retries with the same x-client-msg-id).
 */
export class SequenceFloors {
  constructor(
    private readonly newestStoredSeq: (roomId: string) => Promise<number>,
    private readonly timeoutMs: number,
  ) {}

  /** The `sequenceFloor` option of a publish to the room. */
  floorOf(roomId: string): () => Promise<number> {
    return () => this.newest(roomId);
  }

  private async newest(roomId: string): Promise<number> {
    const unavailable = () =>
      new AppError(
        'MESSAGE_STORE_UNAVAILABLE',
        'the message store is needed to number this message and is unavailable; retry shortly',
      );
    try {
      return await withinTime(this.newestStoredSeq(roomId), this.timeoutMs, unavailable);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw unavailable();
    }
  }
}
