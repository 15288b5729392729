import type { Backplane } from '../backplane/backplane.port.js';
import type { RealtimeLog } from '../realtime/session-socket.js';

const MAX_REMEMBERED_ROOMS = 100_000;

/**
 * Before an instance publishes to a room for the first time, it raises the room's sequence to
 * the newest one the message store holds. A backplane that lost its counters (a restart of the
 * embedded default, a Redis that lost its keys) then never reuses a number the store already
 * has, which the store would refuse as a duplicate. A store outage must not stop delivery, so
 * a failed look-up lets the message through and is retried on the next send.
 */
export class SequenceFloors {
  private readonly raised = new Map<string, Promise<void>>();

  constructor(
    private readonly backplane: Backplane,
    private readonly newestStoredSeq: (roomId: string) => Promise<number>,
    private readonly destinationOf: (roomId: string) => string,
    private readonly log: RealtimeLog,
  ) {}

  ensure(roomId: string): Promise<void> {
    let pending = this.raised.get(roomId);
    if (pending === undefined) {
      pending = this.raise(roomId);
      this.raised.set(roomId, pending);
      if (this.raised.size > MAX_REMEMBERED_ROOMS) this.raised.delete(this.raised.keys().next().value!);
    }
    return pending;
  }

  private async raise(roomId: string): Promise<void> {
    try {
      const newest = await this.newestStoredSeq(roomId);
      await this.backplane.raiseSequence(this.destinationOf(roomId), newest);
    } catch (error) {
      this.raised.delete(roomId);
      this.log.warn({ err: error, roomId }, 'could not check the room sequence against the store; will retry');
    }
  }
}
