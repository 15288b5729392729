import type { Redis } from 'ioredis';
import { PreEncodedScript } from '../redis/pre-encoded-script.js';

/**
 * One atomic step per published message, so order equals sequence and one round trip does it:
 *
 *   KEYS[1]  `<prefix>{d:<destination>}:seq`        INCR: the message's sequence
 *   KEYS[2]  `<prefix>{d:<destination>}:log`        XADD id `<seq>-0`, MAXLEN ~ cap: the replay log
 *   KEYS[3]  `<prefix>{persist}:stream`             XADD `*`: hand-off to the write-behind persister
 *            (transport 'broker': `<prefix>{persist}:broker-backlog`, INCR: the broker holds the hand-off;
 *            cluster mode: the destination's partition stream, so all keys share one slot, redis-keys.ts)
 *   KEYS[4]  `<prefix>{d:<destination>}:dedupe:<k>` the dedupe record (any key of the tag when unused)
 *   KEYS[5]  `<prefix>{d:<destination>}:order:<group>` the sender's newest message id, while it has
 *            publishes in flight (any key of the tag when unused)
 *   ARGV[1]  content (see redis-message-codec.ts), ARGV[2] channel, ARGV[3] log cap,
 *   ARGV[4]  '1': refuse when the counter is missing, ARGV[5] dedupe TTL in ms ('0': no dedupe),
 *   ARGV[6]  the message id the dedupe record keeps, ARGV[7] transport: 'redis' or 'broker',
 *   ARGV[8]  '1': cluster mode, the channel is a sharded one (SPUBLISH, Redis 7),
 *   ARGV[9]  retention in ms ('0': none): the counter and the log expire that long after this message
 *   ARGV[10] the id of the sender's previous publish, still in flight ('': none): unless KEYS[5]
 *            holds it, that one has not run (or failed), so nothing is done (status 3)
 *   ARGV[11] how long KEYS[5] keeps this message's id, in ms ('0': not kept)
 *
 * then, with transport 'redis', PUBLISH the frame on the destination's channel. With 'broker'
 * (BACKPLANE=rabbitmq) the caller carries the frame itself, through RabbitMQ. Replies, as `[seq, publishedAt, status, id]`:
 *
 *   status 0  published now (id empty: the caller made it)
 *   status 1  duplicate: the dedupe key was taken by message `id`, sequenced `seq` at `publishedAt`
 *   status 2  nothing done: the counter is missing (never published, or Redis lost it) and the
 *             caller must raise the floor first (redis-sequence-floor-script.ts), then resend
 *   status 3  nothing done: the sender's previous publish has not run; resend once it is settled
 *
 * The dedupe record is written in the same step as the message, so it never exists without its
 * message, whatever crashes when. The checks only read: the first write is INCR (or, for a
 * duplicate, the order key's SET and nothing else), so if the node turned read-only (failover)
 * the script fails before any write and can be resent safely.
 *
 * The order key lets one sender keep several publishes in flight without their order depending
 * on the first one succeeding: each carries its predecessor's id, and runs only if the key holds
 * it, that is if the predecessor ran and nothing of the sender's ran since. A publish that found
 * the counter missing, failed, or was never run (NOSCRIPT, a lost connection) leaves the key as
 * it was, so everything the sender sent after it stops here too, whatever ran in between for
 * other senders; the caller resends those in order once the first is settled.
 *
 * publishedAt comes from Redis TIME, not from the publishing instance: one clock for every
 * instance, so it never goes backwards along a destination's sequence because instance clocks
 * disagree. (Redis 7 replicates scripts by effects, so TIME in a writing script is allowed.)
 * Numbers are formatted with %d because Lua's default number format switches to exponent
 * notation above 1e14.
 */
export const PUBLISH_SCRIPT = `
if ARGV[10] ~= '' and redis.call('GET', KEYS[5]) ~= ARGV[10] then return {0, 0, 3, ''} end
local orderTtl = tonumber(ARGV[11])
local ttl = tonumber(ARGV[5])
if ttl > 0 then
  local prior = redis.call('GET', KEYS[4])
  if prior then
    if orderTtl > 0 then redis.call('SET', KEYS[5], ARGV[6], 'PX', orderTtl) end
    local seq, ms, id = string.match(prior, '^(%d+) (%d+) (.*)$')
    return {tonumber(seq), tonumber(ms), 1, id}
  end
end
if ARGV[4] == '1' and redis.call('EXISTS', KEYS[1]) == 0 then return {0, 0, 2, ''} end
local seq = redis.call('INCR', KEYS[1])
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local frame = string.format('%d %d ', seq, ms) .. ARGV[1]
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], string.format('%d-0', seq), 'm', frame)
local broker = ARGV[7] == 'broker'
if broker then redis.call('INCR', KEYS[3]) else redis.call('XADD', KEYS[3], '*', 'm', frame) end
if ttl > 0 then
  redis.call('SET', KEYS[4], string.format('%d %d ', seq, ms) .. ARGV[6], 'PX', ttl)
end
local retention = tonumber(ARGV[9])
if retention > 0 then
  redis.call('PEXPIRE', KEYS[1], retention)
  redis.call('PEXPIRE', KEYS[2], retention)
end
if not broker then redis.call(ARGV[8] == '1' and 'SPUBLISH' or 'PUBLISH', ARGV[2], frame) end
if orderTtl > 0 then redis.call('SET', KEYS[5], ARGV[6], 'PX', orderTtl) end
return {seq, ms, 0, ''}
`;

/** Who carries the frame to the other instances: Redis Pub/Sub, or a broker (RabbitMQ). */
export type PublishTransport = 'redis' | 'broker';

/** `[seq, publishedAt, status, original id]`, see PUBLISH_SCRIPT. */
export type PublishReply = [number, number, number, string];

/** PUBLISH_SCRIPT's status (third reply element). */
export const PUBLISHED = 0;
export const DUPLICATE = 1;
export const COUNTER_MISSING = 2;
export const PREDECESSOR_NOT_RUN = 3;

/** The stream field holding the frame, in the log and in the persist stream. */
export const FRAME_FIELD = 'm';

/** The frame out of a stream entry's `[field, value, …]` list. */
export function frameFromFields(fields: readonly Buffer[]): Buffer {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i]!.toString() === FRAME_FIELD) return fields[i + 1]!;
  }
  throw new Error('stream entry without a frame field');
}

/** The publish script's keys (the first five) and arguments, in the order PUBLISH_SCRIPT reads them. */
export type PublishScriptArguments = [
  sequenceKey: string,
  logKey: string,
  persistStream: string,
  dedupeKey: string,
  orderKey: string,
  content: Buffer,
  channel: string,
  logCap: number,
  requireCounter: '0' | '1',
  dedupeTtlMs: number,
  messageId: string,
  transport: PublishTransport,
  sharded: '0' | '1',
  retentionMs: number,
  predecessorId: string,
  orderTtlMs: number,
];

const PUBLISH_SCRIPT_KEYS = 5;

/** Runs PUBLISH_SCRIPT once. */
export type PublishScriptRunner = (keysAndArgs: PublishScriptArguments) => Promise<PublishReply>;

/**
 * How the publish script runs on `redis`. On a single node, as one pre-encoded command
 * (pre-encoded-script.ts): with 50 publishes in flight on loopback, five alternating rounds, its
 * first version cost 10.2–12.4 µs of client CPU per publish against 12.7–14.1 with ioredis's
 * `defineCommand` (the encoder has since dropped another ~3 µs per command, see resp-encoding.ts).
 * A cluster routes a command by its keys, so there it stays ioredis's script command. Both send
 * the whole script (EVAL, which caches it) first on each connection, EVALSHA after, and the whole
 * script again on NOSCRIPT, e.g. after a failover to a node that never saw it.
 */
export function publishScriptRunner(redis: Redis): PublishScriptRunner {
  if (redis.isCluster) {
    redis.defineCommand('chatPublish', { numberOfKeys: PUBLISH_SCRIPT_KEYS, lua: PUBLISH_SCRIPT });
    const commands = redis as Redis & { chatPublish(...keysAndArgs: PublishScriptArguments): Promise<PublishReply> };
    return (keysAndArgs) => commands.chatPublish(...keysAndArgs);
  }
  const script = new PreEncodedScript(redis, PUBLISH_SCRIPT, PUBLISH_SCRIPT_KEYS);
  return (keysAndArgs) => script.run(keysAndArgs) as Promise<PublishReply>;
}
