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
  /**
   * What the flush in progress took, same shape. Still answered by pendingFor until the write is
   * settled: between take and the database commit, a reader on this instance would otherwise
   * find the marker in neither place and see its read undone.
   */
  private readonly inFlight = new Map<string, Map<string, number>>();

  /** Keeps the higher of the pending and the reported seq; returns the one kept. */
  record(userId: string, roomId: string, seq: number): number {
    return raise(this.byUser, userId, roomId, seq);
  }

  /** The user's pending markers, roomId → seq (empty when none), the ones being written included. */
  pendingFor(userId: string): ReadonlyMap<string, number> {
    const reported = this.byUser.get(userId) ?? new Map<string, number>();
    const writing = this.inFlight.get(userId);
    if (writing === undefined) return reported;
    const merged = new Map(writing);
    for (const [roomId, seq] of reported) merged.set(roomId, Math.max(merged.get(roomId) ?? 0, seq));
    return merged;
  }

  /**
   * Everything pending, ordered by (room, user) so concurrent writers lock rows in one order. The
   * buffer is left empty; the markers stay visible to pendingFor until settle or restore.
   */
  take(): ReadMarker[] {
    const markers: ReadMarker[] = [];
    for (const [userId, rooms] of this.byUser) {
      for (const [roomId, seq] of rooms) {
        markers.push({ roomId, userId, seq });
        raise(this.inFlight, userId, roomId, seq);
      }
    }
    this.byUser.clear();
    return markers.sort((a, b) => compare(a.roomId, b.roomId) || compare(a.userId, b.userId));
  }

  /** Everything taken so far is stored: readers find it in the database from now on. */
  settle(): void {
    this.inFlight.clear();
  }

  /** Puts markers back after a failed write, without lowering anything reported since. */
  restore(markers: readonly ReadMarker[]): void {
    for (const marker of markers) this.record(marker.userId, marker.roomId, marker.seq);
    this.inFlight.clear();
  }

  get size(): number {
    let count = 0;
    for (const rooms of this.byUser.values()) count += rooms.size;
    return count;
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Keeps the higher of the held and the given seq for (user, room); returns the one kept. */
function raise(byUser: Map<string, Map<string, number>>, userId: string, roomId: string, seq: number): number {
  let rooms = byUser.get(userId);
  if (rooms === undefined) {
    rooms = new Map();
    byUser.set(userId, rooms);
  }
  const kept = Math.max(rooms.get(roomId) ?? 0, seq);
  rooms.set(roomId, kept);
  return kept;
}
