import { AppError } from '../errors/app-error.js';
import type { RoomReadState } from '../rooms/room-read-states.js';
import type { ReadMarkerBuffer } from './read-marker-buffer.js';
import type { ReadMarkersRepository } from './read-markers.repository.js';
import type { RoomSequences } from './room-sequences.js';

/** A member's read state in one room after a report. */
export interface ReadMarkerState {
  readonly roomId: string;
  readonly lastReadSeq: number;
  readonly unreadCount: number;
}

/**
 * Read markers: how far each member has read in each room. Reports (STOMP or REST) move the
 * marker forward only and never past the room's latest sequence; they are held in the buffer and
 * written by the flusher. Until then this instance answers from the buffer and the database
 * together, so its own readers see their reads at once; other instances see them after a flush.
 */
export class ReadMarkersService {
  constructor(
    private readonly buffer: ReadMarkerBuffer,
    private readonly repository: ReadMarkersRepository,
    private readonly sequences: RoomSequences,
  ) {}

  /**
   * Accepts a report (membership already checked: STOMP's destination authorizer, or `markRead`).
   * Resolves with the room's latest sequence and the marker pending on this instance.
   */
  async report(userId: string, roomId: string, seq: number): Promise<{ latestSeq: number; pendingSeq: number }> {
    if (!Number.isSafeInteger(seq) || seq < 0)
      throw new AppError('VALIDATION_FAILED', 'seq must be a non-negative integer');
    const latestSeq = await this.sequences.latest(roomId);
    const clamped = Math.min(seq, latestSeq);
    // Zero is where every marker starts: nothing to write.
    const pendingSeq =
      clamped > 0 ? this.buffer.record(userId, roomId, clamped) : (this.buffer.pendingFor(userId).get(roomId) ?? 0);
    return { latestSeq, pendingSeq };
  }

  /** REST: members only (AUTH_FORBIDDEN otherwise, whether or not the room exists). */
  async markRead(userId: string, roomId: string, seq: number): Promise<ReadMarkerState> {
    const stored = await this.repository.find(roomId, userId);
    if (stored === null) throw new AppError('AUTH_FORBIDDEN', 'you are not a member of this room');
    const { latestSeq, pendingSeq } = await this.report(userId, roomId, seq);
    const lastReadSeq = Math.max(stored, pendingSeq);
    return { roomId, lastReadSeq, unreadCount: unread(latestSeq, lastReadSeq) };
  }

  /** For GET /rooms: stored markers (roomId → seq) merged with pending ones, and unread counts. */
  async readStates(userId: string, stored: ReadonlyMap<string, number>): Promise<Map<string, RoomReadState>> {
    const latest = await this.sequences.latestMany([...stored.keys()]);
    const pending = this.buffer.pendingFor(userId);
    const states = new Map<string, RoomReadState>();
    for (const [roomId, storedSeq] of stored) {
      const lastReadSeq = Math.max(storedSeq, pending.get(roomId) ?? 0);
      states.set(roomId, { lastReadSeq, unreadCount: unread(latest.get(roomId) ?? 0, lastReadSeq) });
    }
    return states;
  }
}

const unread = (latestSeq: number, lastReadSeq: number): number => Math.max(0, latestSeq - lastReadSeq);
