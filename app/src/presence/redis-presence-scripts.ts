import type { Redis } from 'ioredis';

/**
 * The presence registry's Lua scripts (key layout in redis-presence-keys.ts). Each one is a
 * single atomic step, which is what makes the announced-online flag safe without a lock: the
 * `add` that sets it and the `sweep` that clears it are each seen by exactly one caller.
 *
 * Time is Redis's TIME, never an instance's clock, so expiry does not depend on instances'
 * clocks agreeing (Redis 7 replicates scripts by effects, so TIME before writes is allowed).
 * Numbers are written with %d: Lua's default format turns large numbers into exponents.
 */
const HELPERS = `
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function ms(value)
  return string.format('%d', value)
end
local function alive(instancesKey, instanceId, now)
  local expires = redis.call('ZSCORE', instancesKey, instanceId)
  return expires ~= false and tonumber(expires) > now
end
local function splitFirst(text)
  local at = string.find(text, '|', 1, true)
  if at == nil then return nil, nil end
  return string.sub(text, 1, at - 1), string.sub(text, at + 1)
end
-- Live sessions of a user: those whose instance is still alive.
local function liveCount(userKey, instancesKey, now)
  local count = 0
  for _, field in ipairs(redis.call('HKEYS', userKey)) do
    local instanceId = splitFirst(field)
    if instanceId ~= nil and alive(instancesKey, instanceId, now) then count = count + 1 end
  end
  return count
end
-- Starts the user's grace period unless it already runs (the earlier start wins).
local function startLeaving(userKey, instancesKey, leavingKey, userId, since, now)
  if liveCount(userKey, instancesKey, now) == 0 then redis.call('ZADD', leavingKey, 'NX', ms(since), userId) end
end
`;

/** KEYS instances; ARGV instanceId, ttlMs. Returns 1 when the instance was registered already. */
const HEARTBEAT = `${HELPERS}
local now = nowMs()
local known = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], ms(now + tonumber(ARGV[2])), ARGV[1])
if known then return 1 end
return 0
`;

/**
 * KEYS instances, announced, leaving, user, instance; ARGV instanceId, sessionId, userId,
 * username, connectedAt. Refuses when the instance is not alive: a session recorded under a
 * dead instance would never be reaped (it has been already), so its user would never go offline.
 */
const ADD = `${HELPERS}
local now = nowMs()
if not alive(KEYS[1], ARGV[1], now) then return 'instance-unknown' end
redis.call('HSET', KEYS[4], ARGV[1] .. '|' .. ARGV[2], ARGV[5])
redis.call('SADD', KEYS[5], ARGV[2] .. '|' .. ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[3])
if redis.call('HSETNX', KEYS[2], ARGV[3], ARGV[4]) == 1 then return 'online' end
return 'already-online'
`;

/** KEYS instances, leaving, user, instance; ARGV instanceId, sessionId, userId. */
const REMOVE = `${HELPERS}
local now = nowMs()
redis.call('HDEL', KEYS[3], ARGV[1] .. '|' .. ARGV[2])
redis.call('SREM', KEYS[4], ARGV[2] .. '|' .. ARGV[3])
startLeaving(KEYS[3], KEYS[1], KEYS[2], ARGV[3], now, now)
return 1
`;

/**
 * KEYS instances, announced, leaving; ARGV base, ttlMs, graceMs, batch. Reaps up to `batch` dead
 * instances (their users' grace starts at the dead instance's last heartbeat, which by now is at
 * least a TTL ago), then ends up to `batch` grace periods. Returns [userId, username, …] of the
 * users it took offline; the rest waits for the next sweep.
 */
const SWEEP = `${HELPERS}
local now = nowMs()
local base, ttl, grace, batch = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
for _, instanceId in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ms(now), 'LIMIT', 0, batch)) do
  local lastBeat = tonumber(redis.call('ZSCORE', KEYS[1], instanceId)) - ttl
  redis.call('ZREM', KEYS[1], instanceId)
  local instanceKey = base .. 'instance:' .. instanceId
  for _, member in ipairs(redis.call('SMEMBERS', instanceKey)) do
    local sessionId, userId = splitFirst(member)
    if sessionId ~= nil then
      local userKey = base .. 'user:' .. userId
      redis.call('HDEL', userKey, instanceId .. '|' .. sessionId)
      startLeaving(userKey, KEYS[1], KEYS[3], userId, lastBeat, now)
    end
  end
  redis.call('DEL', instanceKey)
end
local offline = {}
for _, userId in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ms(now - grace), 'LIMIT', 0, batch)) do
  redis.call('ZREM', KEYS[3], userId)
  if liveCount(base .. 'user:' .. userId, KEYS[1], now) == 0 then
    local username = redis.call('HGET', KEYS[2], userId)
    if username then
      redis.call('HDEL', KEYS[2], userId)
      offline[#offline + 1] = userId
      offline[#offline + 1] = username
    end
  end
end
return offline
`;

/** KEYS instances; ARGV base, userId… Returns the user ids with a live session. */
const ONLINE = `${HELPERS}
local now = nowMs()
local online = {}
for i = 2, #ARGV do
  if liveCount(ARGV[1] .. 'user:' .. ARGV[i], KEYS[1], now) > 0 then online[#online + 1] = ARGV[i] end
end
return online
`;

/** KEYS instances, user. Returns [instanceId, sessionId, connectedAt, …] of live sessions. */
const SESSIONS = `${HELPERS}
local now = nowMs()
local fields = redis.call('HGETALL', KEYS[2])
local live = {}
for i = 1, #fields, 2 do
  local instanceId, sessionId = splitFirst(fields[i])
  if instanceId ~= nil and alive(KEYS[1], instanceId, now) then
    live[#live + 1] = instanceId
    live[#live + 1] = sessionId
    live[#live + 1] = fields[i + 1]
  end
end
return live
`;

/** KEYS instances, leaving, instance; ARGV base, instanceId. */
const REMOVE_INSTANCE = `${HELPERS}
local now = nowMs()
-- Gone first, so the instance's other sessions no longer count as live below.
redis.call('ZREM', KEYS[1], ARGV[2])
for _, member in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local sessionId, userId = splitFirst(member)
  if sessionId ~= nil then
    local userKey = ARGV[1] .. 'user:' .. userId
    redis.call('HDEL', userKey, ARGV[2] .. '|' .. sessionId)
    startLeaving(userKey, KEYS[1], KEYS[2], userId, now, now)
  end
end
redis.call('DEL', KEYS[3])
return 1
`;

export interface PresenceCommands {
  presenceHeartbeat(instances: string, instanceId: string, ttlMs: number): Promise<number>;
  presenceAdd(
    instances: string,
    announced: string,
    leaving: string,
    user: string,
    instance: string,
    instanceId: string,
    sessionId: string,
    userId: string,
    username: string,
    connectedAt: number,
  ): Promise<string>;
  presenceRemove(
    instances: string,
    leaving: string,
    user: string,
    instance: string,
    instanceId: string,
    sessionId: string,
    userId: string,
  ): Promise<number>;
  presenceSweep(
    instances: string,
    announced: string,
    leaving: string,
    base: string,
    ttlMs: number,
    graceMs: number,
    batch: number,
  ): Promise<string[]>;
  presenceOnline(instances: string, base: string, ...userIds: string[]): Promise<string[]>;
  presenceSessions(instances: string, user: string): Promise<string[]>;
  presenceRemoveInstance(
    instances: string,
    leaving: string,
    instance: string,
    base: string,
    instanceId: string,
  ): Promise<number>;
}

/** Registers the scripts on the connection (EVALSHA, falling back to EVAL on NOSCRIPT). */
export function definePresenceCommands(redis: Redis): Redis & PresenceCommands {
  redis.defineCommand('presenceHeartbeat', { numberOfKeys: 1, lua: HEARTBEAT });
  redis.defineCommand('presenceAdd', { numberOfKeys: 5, lua: ADD });
  redis.defineCommand('presenceRemove', { numberOfKeys: 4, lua: REMOVE });
  redis.defineCommand('presenceSweep', { numberOfKeys: 3, lua: SWEEP });
  redis.defineCommand('presenceOnline', { numberOfKeys: 1, lua: ONLINE });
  redis.defineCommand('presenceSessions', { numberOfKeys: 2, lua: SESSIONS });
  redis.defineCommand('presenceRemoveInstance', { numberOfKeys: 3, lua: REMOVE_INSTANCE });
  return redis as Redis & PresenceCommands;
}
