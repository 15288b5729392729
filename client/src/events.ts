import type { ChatError } from './errors.js';

/** A chat message in a room, live, replayed after a reconnect, or filled in from history. */
export interface ChatMessage {
  readonly roomId: string;
  /** The room's sequence (`x-seq`): strictly increasing, no gaps. */
  readonly seq: number;
  readonly id: string;
  readonly senderId: string;
  readonly sender: string;
  readonly contentType: string;
  readonly body: string;
  readonly clientMsgId?: string;
  /** When the server sequenced it (ISO 8601). */
  readonly sentAt: string;
  /** Where it came from: a live MESSAGE, a resume replay, or REST history (gap fill, paging). */
  readonly source: 'live' | 'replay' | 'history';
  /** Set on messages read from history that were edited or deleted since. */
  readonly editedAt?: string | null;
  readonly deletedAt?: string | null;
}

/** `x-event: edit`: the message `targetSeq` now reads `body`. Sequenced like a message. */
export interface MessageEdit {
  readonly roomId: string;
  readonly seq: number;
  readonly targetSeq: number;
  readonly body: string;
  readonly contentType: string;
  readonly editorId: string;
  readonly editor: string;
  readonly at: string;
}

/** `x-event: delete`: the message `targetSeq` is now a tombstone. Sequenced like a message. */
export interface MessageDelete {
  readonly roomId: string;
  readonly seq: number;
  readonly targetSeq: number;
  readonly deleterId: string;
  readonly deleter: string;
  readonly at: string;
}

/** Ephemeral: someone is typing (shown for `expiresInMs` unless renewed), or stopped. */
export interface TypingEvent {
  readonly roomId: string;
  readonly userId: string;
  readonly username: string;
  readonly typing: boolean;
  readonly expiresInMs: number;
}

/** Ephemeral: a member came online or went offline (debounced by the server). */
export interface PresenceEvent {
  readonly roomId: string;
  readonly userId: string;
  readonly username: string;
  readonly status: 'online' | 'offline';
  readonly at: string;
}

/** This user's read marker in a room was accepted by the server. */
export interface ReadMarkerEvent {
  readonly roomId: string;
  readonly seq: number;
}

/** Messages in `(afterSeq, beforeSeq)` could not be read from history; the feed continues after them. */
export interface GapEvent {
  readonly roomId: string;
  readonly afterSeq: number;
  readonly beforeSeq: number;
  readonly error: ChatError;
}

export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'closed';

export interface StateEvent {
  readonly state: ConnectionState;
  /** While reconnecting: how long until the next attempt. */
  readonly retryInMs?: number;
  /** Why the last connection ended, when it ended with an error. */
  readonly reason?: ChatError;
}

export interface ChatEvents {
  message: ChatMessage;
  edit: MessageEdit;
  delete: MessageDelete;
  typing: TypingEvent;
  presence: PresenceEvent;
  read: ReadMarkerEvent;
  gap: GapEvent;
  state: StateEvent;
  /** Anything the application did not ask for directly: a room lost, a session ended, a failed renewal. */
  error: ChatError;
}

type Listener<T> = (event: T) => void;

/** A minimal typed event emitter that works the same in Node and browsers. */
export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Returns a function that removes the listener. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(name);
    if (set === undefined) this.listeners.set(name, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => this.off(name, listener);
  }

  off<K extends keyof Events>(name: K, listener: Listener<Events[K]>): void {
    this.listeners.get(name)?.delete(listener as Listener<never>);
  }

  protected emit<K extends keyof Events>(name: K, event: Events[K]): void {
    for (const listener of [...(this.listeners.get(name) ?? [])]) {
      // A throwing listener must not break the SDK's own bookkeeping, nor be swallowed.
      try {
        (listener as Listener<Events[K]>)(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  protected removeAllListeners(): void {
    this.listeners.clear();
  }
}
