export type PresenceStatus = 'online' | 'offline';

/** The JSON body of a MESSAGE on /topic/rooms.{roomId}.presence (ephemeral: no x-seq, not stored). */
export interface PresenceEvent {
  readonly type: 'presence';
  readonly roomId: string;
  readonly userId: string;
  readonly username: string;
  readonly status: PresenceStatus;
  /** When the instance that noticed the change published it (ISO 8601). */
  readonly at: string;
}
