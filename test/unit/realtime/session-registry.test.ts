import { describe, expect, it } from '@jest/globals';
import { SessionRegistry } from '../../../app/src/realtime/session-registry.js';

describe('SessionRegistry', () => {
  it('tracks sessions per user and tells listeners when a user session starts and ends', () => {
    const registry = new SessionRegistry<{ id: string; userId: string | undefined }>();
    const events: string[] = [];
    registry.addListener({ connected: (s) => events.push(`+${s.id}`), closed: (s) => events.push(`-${s.id}`) });
    const anonymous = { id: 'a', userId: undefined };
    const first = { id: 's1', userId: 'u1' };
    const second = { id: 's2', userId: 'u1' };
    for (const session of [anonymous, first, second]) registry.add(session);
    registry.bindUser(first, 'u1');
    registry.bindUser(second, 'u1');
    expect(registry.countForUser('u1')).toBe(2);
    registry.remove(anonymous); // never connected: no event
    registry.remove(first);
    registry.remove(first); // twice: still one event
    expect(registry.forUser('u1')).toEqual([second]);
    expect(events).toEqual(['+s1', '+s2', '-s1']);
    expect(registry.size).toBe(1);
  });
});
