import type { RoomRole } from './membership.entity.js';

export interface MembershipCacheOptions {
  /** Entries kept; the least recently used go first. */
  readonly maxEntries: number;
  /** How long a found membership is trusted. */
  readonly ttlMs: number;
  /** How long "not a member" is trusted; short, so a member added elsewhere gets in soon. */
  readonly negativeTtlMs: number;
}

/**
 * 10,000 entries is well under a megabyte. 30 s bounds how long another instance may act
 * on a membership this one changed: invalidation is in-process only.
 */
export const DEFAULT_MEMBERSHIP_CACHE_OPTIONS: MembershipCacheOptions = {
  maxEntries: 10_000,
  ttlMs: 30_000,
  negativeTtlMs: 5_000,
};

/** Nest injection token for MembershipCacheOptions. */
export const MEMBERSHIP_CACHE_OPTIONS = Symbol('MembershipCacheOptions');

interface Entry {
  readonly roomId: string;
  readonly role: RoomRole | null;
  readonly expiresAt: number;
}

/**
 * Who is in which room, as last read from the database: an LRU map with a TTL, consulted
 * on every SUBSCRIBE and SEND. Every membership change invalidates its entry (or the whole
 * room) before it returns. A lookup that was already reading the database when an
 * invalidation happened must not put its stale answer back, hence `generation`: capture
 * it before the read and pass it to set().
 */
export class MembershipCache {
  private readonly entries = new Map<string, Entry>();
  private readonly keysByRoom = new Map<string, Set<string>>();
  private currentGeneration = 0;

  constructor(
    private readonly options: MembershipCacheOptions = DEFAULT_MEMBERSHIP_CACHE_OPTIONS,
    private readonly now: () => number = Date.now,
  ) {}

  get generation(): number {
    return this.currentGeneration;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached role, null for a cached "not a member", undefined when unknown or stale. */
  get(roomId: string, userId: string): RoomRole | null | undefined {
    const key = keyOf(roomId, userId);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.delete(key, entry);
      return undefined;
    }
    // Re-insert to mark as most recently used (a Map iterates in insertion order).
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.role;
  }

  /** Stores a lookup's answer unless an invalidation happened since `generation` was read. */
  set(roomId: string, userId: string, role: RoomRole | null, generation: number): void {
    if (generation !== this.currentGeneration) return;
    const key = keyOf(roomId, userId);
    const previous = this.entries.get(key);
    if (previous !== undefined) this.delete(key, previous);
    const ttl = role === null ? this.options.negativeTtlMs : this.options.ttlMs;
    if (ttl <= 0 || this.options.maxEntries <= 0) return;
    this.entries.set(key, { roomId, role, expiresAt: this.now() + ttl });
    let keys = this.keysByRoom.get(roomId);
    if (keys === undefined) this.keysByRoom.set(roomId, (keys = new Set()));
    keys.add(key);
    while (this.entries.size > this.options.maxEntries) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry];
      this.delete(oldestKey, oldest);
    }
  }

  invalidate(roomId: string, userId: string): void {
    this.currentGeneration += 1;
    const key = keyOf(roomId, userId);
    const entry = this.entries.get(key);
    if (entry !== undefined) this.delete(key, entry);
  }

  invalidateRoom(roomId: string): void {
    this.currentGeneration += 1;
    for (const key of this.keysByRoom.get(roomId) ?? []) this.entries.delete(key);
    this.keysByRoom.delete(roomId);
  }

  private delete(key: string, entry: Entry): void {
    this.entries.delete(key);
    const keys = this.keysByRoom.get(entry.roomId);
    keys?.delete(key);
    if (keys?.size === 0) this.keysByRoom.delete(entry.roomId);
  }
}

function keyOf(roomId: string, userId: string): string {
  return `${roomId}/${userId}`;
}
