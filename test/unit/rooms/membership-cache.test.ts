import { describe, expect, it } from '@jest/globals';
import { MembershipCache } from '../../../app/src/rooms/membership-cache.js';

describe('MembershipCache', () => {
  const options = { maxEntries: 3, ttlMs: 1_000, negativeTtlMs: 100 };
  const clock = () => {
    let now = 0;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('remembers roles and non-membership, each for its own TTL', () => {
    const time = clock();
    const cache = new MembershipCache(options, time.now);
    cache.set('r1', 'u1', 'admin', cache.generation);
    cache.set('r1', 'u2', null, cache.generation);
    expect(cache.get('r1', 'u1')).toBe('admin');
    expect(cache.get('r1', 'u2')).toBeNull();
    expect(cache.get('r1', 'u3')).toBeUndefined();
    time.advance(100);
    expect(cache.get('r1', 'u2')).toBeUndefined();
    expect(cache.get('r1', 'u1')).toBe('admin');
    time.advance(900);
    expect(cache.get('r1', 'u1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry beyond maxEntries', () => {
    const cache = new MembershipCache(options);
    cache.set('r', 'a', 'member', cache.generation);
    cache.set('r', 'b', 'member', cache.generation);
    cache.set('r', 'c', 'member', cache.generation);
    cache.get('r', 'a');
    cache.set('r', 'd', 'member', cache.generation);
    expect(cache.size).toBe(3);
    expect(cache.get('r', 'b')).toBeUndefined();
    expect(cache.get('r', 'a')).toBe('member');
  });

  it('invalidates one membership or a whole room', () => {
    const cache = new MembershipCache(options);
    cache.set('r1', 'u1', 'owner', cache.generation);
    cache.set('r1', 'u2', 'member', cache.generation);
    cache.set('r2', 'u1', 'member', cache.generation);
    cache.invalidate('r1', 'u2');
    expect(cache.get('r1', 'u2')).toBeUndefined();
    expect(cache.get('r1', 'u1')).toBe('owner');
    cache.invalidateRoom('r1');
    expect(cache.get('r1', 'u1')).toBeUndefined();
    expect(cache.get('r2', 'u1')).toBe('member');
  });

  it('drops a lookup answer that raced with an invalidation', () => {
    const cache = new MembershipCache(options);
    const before = cache.generation;
    // The lookup read "member" from the database, then the member was removed...
    cache.invalidate('r1', 'u1');
    // ...so its answer must not be cached.
    cache.set('r1', 'u1', 'member', before);
    expect(cache.get('r1', 'u1')).toBeUndefined();
  });
});
