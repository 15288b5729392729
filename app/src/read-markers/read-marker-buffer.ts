/** One member's read marker in one room. */
export interface ReadMarker {
  readonly roomId: string;
  readonly userId: string;
  readonly seq: number;
}

/**
 * Read markers reported but not yet written. Clients report on every scroll and from every
 * device; only the highest per (room, user) matters, so reports coalesce here and the flusher
 * writes one row per (room, user) per flush.
 */
export class ReadMarkerBuffer {
  /** userId → roomId → highest seq reported. */
  private readonly byUser = new Map<string, Map<string, number>>();

  /** Keeps the higher of the pending and the reported seq; returns the one kept. */
  record(userId: string, roomId: string, seq: number): number {
    let rooms = this.byUser.get(userId);
    if (rooms === undefined) {
      rooms = new Map();
      this.byUser.set(userId, rooms);
    }
    const kept = Math.max(rooms.get(roomId) ?? 0, seq);
    rooms.set(roomId, kept);
    return kept;
  }

  /** The user's pending markers, roomId → seq (empty when none). */
  pendingFor(userId: string): ReadonlyMap<string, number> {
    return this.byUser.get(userId) ?? new Map();
  }

  /** Everything pending, ordered by (room, user) so concurrent writers lock rows in one order; the buffer is left empty. */
  take(): ReadMarker[] {
    const markers: ReadMarker[] = [];
    for (const [userId, rooms] of this.byUser) {
      for (const [roomId, seq] of rooms) markers.push({ roomId, userId, seq });
    }
    this.byUser.clear();
    return markers.sort((a, b) => compare(a.roomId, b.roomId) || compare(a.userId, b.userId));
  }

  /** Puts markers back after a failed write, without lowering anything reported since. */
  restore(markers: readonly ReadMarker[]): void {
    for (const marker of markers) this.record(marker.userId, marker.roomId, marker.seq);
  }

  get size(): number {
    let count = 0;
    for (const rooms of this.byUser.values()) count += rooms.size;
    return count;
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
