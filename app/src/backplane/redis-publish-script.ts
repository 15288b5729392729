import type { Redis } from 'ioredis';

/**
 * One atomic step per published message, so order equals sequence and one round trip does it:
 *
 *   KEYS[1]  `<prefix>{d:<destination>}:seq`  INCR: the message's sequence
 *   KEYS[2]  `<prefix>{d:<destination>}:log`  XADD id `<seq>-0`, MAXLEN ~ cap: the replay log
 *   KEYS[3]  `<prefix>{persist}:stream`       XADD `*`: hand-off to the write-behind persister
 *   ARGV[1]  content (see redis-message-codec.ts), ARGV[2] channel, ARGV[3] log cap
 *
 * then PUBLISH the frame on the destination's channel. Returns `{seq, publishedAt}`.
 *
 * publishedAt comes from Redis TIME, not from the publishing instance: one clock for every
 * instance, so it never goes backwards along a destination's sequence because instance clocks
 * disagree. (Redis 7 replicates scripts by effects, so TIME in a writing script is allowed.)
 *
 * INCR runs first: if the node turned read-only (failover) the script fails before any write
 * and can be resent safely. Numbers are formatted with %d because Lua's default number format
 * switches to exponent notation above 1e14.
 */
export const PUBLISH_SCRIPT = `
local seq = redis.call('INCR', KEYS[1])
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local frame = string.format('%d %d ', seq, ms) .. ARGV[1]
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], string.format('%d-0', seq), 'm', frame)
redis.call('XADD', KEYS[3], '*', 'm', frame)
redis.call('PUBLISH', ARGV[2], frame)
return {seq, ms}
`;

/** The stream field holding the frame, in the log and in the persist stream. */
export const FRAME_FIELD = 'm';

/** The frame out of a stream entry's `[field, value, …]` list. */
export function frameFromFields(fields: readonly Buffer[]): Buffer {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i]!.toString() === FRAME_FIELD) return fields[i + 1]!;
  }
  throw new Error('stream entry without a frame field');
}

export interface PublishCommand {
  chatPublish(
    sequenceKey: string,
    logKey: string,
    persistStream: string,
    content: Buffer,
    channel: string,
    logCap: number,
  ): Promise<[number, number]>;
}

/**
 * Registers the script on the connection: ioredis sends EVALSHA and falls back to EVAL (which
 * caches the script) on NOSCRIPT, e.g. after a failover to a node that never saw it.
 */
export function definePublishCommand(redis: Redis): Redis & PublishCommand {
  redis.defineCommand('chatPublish', { numberOfKeys: 3, lua: PUBLISH_SCRIPT });
  return redis as Redis & PublishCommand;
}
