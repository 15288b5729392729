import { describe, expect, it } from '@jest/globals';
import {
  planKey,
  plannedRoom,
  roomCount,
  usersCsv,
  validatePlan,
  type SeedPlan,
} from '../../loadtest/cli/seed-plan.js';

const plan: SeedPlan = { prefix: 'lt', users: 7, roomSize: 3, password: 'loadtest-password-1' };

describe('seed plan', () => {
  it('puts consecutive users in one room, the last room taking the rest', () => {
    expect(roomCount(plan)).toBe(3);
    expect(plannedRoom(plan, 0)).toEqual({ index: 0, name: 'lt-r0', owner: 'lt-u0', members: ['lt-u1', 'lt-u2'] });
    expect(plannedRoom(plan, 2)).toEqual({ index: 2, name: 'lt-r2', owner: 'lt-u6', members: [] });
  });

  it('writes one payload row per user with its room id and position', () => {
    const ids = new Map([
      [0, 'room-a'],
      [1, 'room-b'],
      [2, 'room-c'],
    ]);
    const rows = usersCsv(plan, ids).trim().split('\n');
    expect(rows[0]).toBe('username,password,roomId,member,roomSize');
    expect(rows).toHaveLength(8);
    expect(rows[4]).toBe('lt-u3,loadtest-password-1,room-b,0,3');
    expect(rows[7]).toBe('lt-u6,loadtest-password-1,room-c,0,3');
  });

  it('refuses to write the file while a room has no id', () => {
    expect(() => usersCsv(plan, new Map([[0, 'room-a']]))).toThrow('room 1 has no id yet');
  });

  it('names every problem of a bad plan', () => {
    expect(validatePlan({ prefix: 'bad prefix', users: 0, roomSize: 1.5, password: 'a,b' })).toEqual([
      expect.stringContaining('--prefix'),
      expect.stringContaining('--users'),
      expect.stringContaining('--room-size'),
      expect.stringContaining('at least 8'),
      expect.stringContaining('commas'),
    ]);
    expect(validatePlan(plan)).toEqual([]);
  });

  it('keys resumable state by target and shape, so a different plan starts afresh', () => {
    expect(planKey(plan, 'http://a')).not.toBe(planKey({ ...plan, roomSize: 4 }, 'http://a'));
    expect(planKey(plan, 'http://a')).not.toBe(planKey(plan, 'http://b'));
  });
});
