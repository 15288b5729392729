/** How far the caller has read in one room, as GET /rooms shows it. */
export interface RoomReadState {
  readonly lastReadSeq: number;
  readonly unreadCount: number;
}

/** Given the stored read markers (roomId → lastReadSeq) of one user, their read state per room. */
export type RoomReadStateSource = (
  userId: string,
  stored: ReadonlyMap<string, number>,
) => Promise<ReadonlyMap<string, RoomReadState>>;

/**
 * Where GET /rooms gets unread counts. Read markers are a feature of their own that depends on
 * rooms (memberships), so rooms cannot call into it; it plugs its source in here at start-up, the
 * way features register shutdown flushes. Without a source (the rooms module alone) rooms are
 * listed with their stored lastReadSeq and no unreadCount.
 */
export class RoomReadStates {
  private source: RoomReadStateSource | undefined;

  provide(source: RoomReadStateSource): void {
    if (this.source !== undefined) throw new Error('a read state source is already provided');
    this.source = source;
  }

  of(userId: string, stored: ReadonlyMap<string, number>): Promise<ReadonlyMap<string, RoomReadState> | undefined> {
    return this.source === undefined ? Promise.resolve(undefined) : this.source(userId, stored);
  }
}
