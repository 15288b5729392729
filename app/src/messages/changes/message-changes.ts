import type { Backplane } from '../../backplane/backplane.port.js';
import { AppError } from '../../errors/app-error.js';
import { withinTime } from '../../errors/within-time.js';
import type { Principal } from '../../realtime/auth/principal.js';
import type { RoomRole } from '../../rooms/membership.entity.js';
import { roomTopic } from '../../rooms/room-destinations.js';
import { logEventsAfter } from '../log-events.js';
import { DEFAULT_CONTENT_TYPE, eventHeaders } from '../room-message-wire.js';
import type { SequenceFloors } from '../sequence-floors.js';
import { applyEffects, effectsByTarget } from '../store/event-effects.js';
import type { MessageStore } from '../store/message-store.port.js';
import { roomMessageOf } from '../store/room-message-of.js';
import type { MessageEventKind, StoredMessage } from '../store/stored-message.js';
import { assertMayChange } from './change-rules.js';

/** A request to edit or delete message `targetSeq` of a room, by a member whose role the caller looked up. */
export interface ChangeRequest {
  readonly action: MessageEventKind;
  readonly roomId: string;
  readonly targetSeq: number;
  readonly changer: Principal;
  /** The changer's current role in the room, or null when they are not (or no longer) a member. */
  readonly role: RoomRole | null;
  /** For an edit: the new body (not empty) and its content type. */
  readonly body?: Buffer;
  readonly contentType?: string;
}

/**
 * Edits and deletions, for STOMP (…/edit, …/delete) and REST alike. A change is not written
 * anywhere directly: it is published to the room's topic as a sequenced event of its own
 * (x-event, x-target-seq), exactly like a message, so live subscribers get it in order, resuming
 * clients get it in their replay, and the persister stores it and applies it to its target.
 *
 * The target is checked as it is now: found in the replay log first (readRecent(dest, N-1, 1):
 * recent messages need no store, and work through a store outage), else in the store, and then
 * brought up to date with the events the log holds after it (edits and deletions the persister
 * may not have stored yet). Two changes that race past these checks (an edit and a delete at the
 * same moment) are both published; the store's rules settle them the same way everywhere: the
 * delete wins.
 */
export class MessageChanges {
  constructor(
    private readonly backplane: Backplane,
    private readonly store: MessageStore,
    private readonly floors?: SequenceFloors,
    /** Bound on the store read of an older target (a hanging store must not hold the SEND). */
    private readonly storeTimeoutMs = 2_000,
  ) {}

  /** Checks and publishes the change; resolves with the event as it will be stored and shown in history. */
  async change(request: ChangeRequest): Promise<StoredMessage> {
    const { action, roomId, targetSeq, changer } = request;
    if (action === 'edit' && (request.body === undefined || request.body.length === 0)) {
      throw new AppError('VALIDATION_FAILED', 'an edit needs the new body; to remove a message, delete it');
    }
    const target = await this.current(roomId, targetSeq);
    assertMayChange(action, target, { userId: changer.userId, role: request.role });

    const contentType = action === 'edit' ? (request.contentType ?? DEFAULT_CONTENT_TYPE) : undefined;
    const headers = eventHeaders(changer, action, targetSeq, contentType);
    const published = await this.backplane.publish(
      { destination: roomTopic(roomId), headers, body: action === 'edit' ? request.body! : Buffer.alloc(0) },
      { sequenceFloor: this.floors?.floorOf(roomId) },
    );
    return roomMessageOf(published)!;
  }

  /** Message `seq` of the room as it is now: its latest edit, or a tombstone. */
  private async current(roomId: string, seq: number): Promise<StoredMessage> {
    const recent = await this.backplane.readRecent(roomTopic(roomId), seq - 1, 1);
    const logged = recent.messages[0]?.seq === seq ? roomMessageOf(recent.messages[0]!) : undefined;
    const found = logged ?? (await this.fromStore(roomId, seq));
    if (found === null) throw new AppError('MESSAGE_NOT_FOUND', `room has no message with seq ${seq}`);
    return applyEffects(found, effectsByTarget(await logEventsAfter(this.backplane, roomId, seq)));
  }

  // The store's outage itself is reported by the persister (logs, metrics, /readyz).
  private async fromStore(roomId: string, seq: number): Promise<StoredMessage | null> {
    try {
      return await withinTime(this.store.get(roomId, seq), this.storeTimeoutMs, () => new Error('store timed out'));
    } catch {
      throw new AppError(
        'MESSAGE_UNAVAILABLE',
        `message ${seq} is older than the replay log and the message store is unavailable; try again shortly`,
      );
    }
  }
}
