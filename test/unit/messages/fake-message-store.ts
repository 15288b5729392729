import type {
  MessagePageQuery,
  MessageStore,
  RejectedMessage,
  SaveBatchResult,
} from '../../../app/src/messages/store/message-store.port.js';
import { applyEffects, effectsByTarget } from '../../../app/src/messages/store/event-effects.js';
import type { StoredMessage } from '../../../app/src/messages/store/stored-message.js';

/**
 * An in-memory MessageStore with the contract's uniqueness rules and its handling of edit and
 * delete events, that can be switched to fail every call (a store outage) and counts its write
 * attempts.
 */
export class FakeMessageStore implements MessageStore {
  readonly byId = new Map<string, StoredMessage>();
  failing: Error | undefined;
  attempts = 0;
  /** page() calls. */
  reads = 0;
  /** Resolve to hold saveBatch until the test lets it go. */
  gate: Promise<void> | undefined;

  async saveBatch(batch: readonly StoredMessage[]): Promise<SaveBatchResult> {
    this.attempts++;
    await this.gate;
    if (this.failing !== undefined) throw this.failing;
    const rejected: RejectedMessage[] = [];
    let stored = 0;
    for (const message of new Map(batch.map((m) => [m.id, m])).values()) {
      if (this.byId.has(message.id)) {
        stored++;
        continue;
      }
      const existing = [...this.byId.values()];
      if (existing.some((m) => m.roomId === message.roomId && m.seq === message.seq)) {
        rejected.push({ message, reason: 'seq-taken' });
      } else if (
        message.clientMsgId !== null &&
        existing.some(
          (m) =>
            m.roomId === message.roomId && m.senderId === message.senderId && m.clientMsgId === message.clientMsgId,
        )
      ) {
        rejected.push({ message, reason: 'client-msg-id-taken' });
      } else {
        this.byId.set(message.id, message);
        stored++;
      }
    }
    this.applyEvents();
    return { stored, rejected };
  }

  /** Every row recomputed from its stored events, which is what the real stores end up with. */
  private applyEvents(): void {
    for (const roomId of new Set([...this.byId.values()].map((m) => m.roomId))) {
      const rows = this.inRoom(roomId);
      const effects = effectsByTarget(rows);
      // deletedAt comes from the first delete only, as the real stores derive it.
      for (const row of rows) this.byId.set(row.id, applyEffects({ ...row, deletedAt: null }, effects));
    }
  }

  async page(roomId: string, query: MessagePageQuery): Promise<StoredMessage[]> {
    this.reads++;
    if (this.failing !== undefined) throw this.failing;
    return this.inRoom(roomId)
      .filter(
        (m) =>
          (query.before === undefined || m.seq < query.before) && (query.after === undefined || m.seq > query.after),
      )
      .reverse()
      .slice(0, query.limit);
  }

  async get(roomId: string, seq: number): Promise<StoredMessage | null> {
    if (this.failing !== undefined) throw this.failing;
    return this.inRoom(roomId).find((m) => m.seq === seq) ?? null;
  }

  async ping(): Promise<void> {
    if (this.failing !== undefined) throw this.failing;
  }

  async close(): Promise<void> {}

  /** Oldest first. */
  inRoom(roomId: string): StoredMessage[] {
    return [...this.byId.values()].filter((m) => m.roomId === roomId).sort((a, b) => a.seq - b.seq);
  }
}
