import type { Backplane } from '../backplane/backplane.port.js';
import { roomTopic } from '../rooms/room-destinations.js';

/** Backplane reads in flight at once for one caller: many rooms, without a burst of thousands. */
const CONCURRENCY = 64;

/**
 * Each room's latest message sequence, from the backplane (the sequence counter the publish
 * script increments). A read of no entries (after the largest possible seq) returns only that.
 */
export class RoomSequences {
  constructor(private readonly backplane: Backplane) {}

  async latest(roomId: string): Promise<number> {
    return (await this.backplane.readRecent(roomTopic(roomId), Number.MAX_SAFE_INTEGER, 0)).lastSeq;
  }

  /**
   * Reads for many rooms are issued together (on Redis they share round trips: ioredis pipelines
   * whatever is issued before the replies come back), at most CONCURRENCY at a time.
   */
  async latestMany(roomIds: readonly string[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < roomIds.length) {
        const roomId = roomIds[next++]!;
        result.set(roomId, await this.latest(roomId));
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, roomIds.length) }, worker));
    return result;
  }
}
