import type { Redis } from 'ioredis';

/**
 * Raises a destination's counter so the next INCR is above both the floor the caller passes
 * (the newest sequence in the message store) and the newest entry of the replay log — the log
 * can outlive a lost counter, and XADD refuses an id at or below its last one.
 *
 *   KEYS[1] `<prefix>{d:<destination>}:seq`, KEYS[2] `<prefix>{d:<destination>}:log`, ARGV[1] floor
 */
export const SEQUENCE_FLOOR_SCRIPT = `
local floor = tonumber(ARGV[1])
local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
if #newest > 0 then
  local logged = tonumber(string.match(newest[1][1], '^(%d+)'))
  if logged > floor then floor = logged end
end
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current < floor then
  redis.call('SET', KEYS[1], string.format('%d', floor))
  return floor
end
return current
`;

export interface SequenceFloorCommand {
  chatRaiseSequence(sequenceKey: string, logKey: string, floor: number): Promise<number>;
}

export function defineSequenceFloorCommand<R extends Redis>(redis: R): R & SequenceFloorCommand {
  redis.defineCommand('chatRaiseSequence', { numberOfKeys: 2, lua: SEQUENCE_FLOOR_SCRIPT });
  return redis as R & SequenceFloorCommand;
}
