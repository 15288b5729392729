import { describe, expect, it } from '@jest/globals';
import { RedisPresenceKeys } from '../../../app/src/presence/redis-presence-keys.js';

describe('RedisPresenceKeys', () => {
  it('keeps the single-node layout under {presence}', () => {
    const keys = new RedisPresenceKeys('chat:');
    expect([keys.instances, keys.announced, keys.leaving, keys.user('u1'), keys.instance('i1')]).toEqual([
      'chat:{presence}:instances',
      'chat:{presence}:announced',
      'chat:{presence}:leaving',
      'chat:{presence}:user:u1',
      'chat:{presence}:instance:i1',
    ]);
  });

  it("puts a cluster partition's keys under that partition's tag, one slot per partition", () => {
    const keys = new RedisPresenceKeys('chat:', 'p3.0');
    for (const name of [keys.instances, keys.announced, keys.leaving, keys.user('dev:{x}'), keys.instance('i1')]) {
      expect(name.startsWith('chat:{p3.0}:presence:')).toBe(true);
    }
  });
});
