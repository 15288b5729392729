import type { Redis } from 'ioredis';
import type { RecentMessages } from './backplane.port.js';
import { RedisKeys } from './redis-keys.js';
import { readReplayLog } from './redis-replay-log.js';
import { defineSequenceFloorCommand, type SequenceFloorCommand } from './redis-sequence-floor-script.js';

/**
 * The sequencing half of the Redis publish script (redis-publish-script.ts) without its
 * transport: INCR the destination's counter, stamp Redis TIME, append to the replay log, count
 * one more entry of the broker's persist backlog. The caller carries the frame itself.
 *
 *   KEYS[1] seq, KEYS[2] log, KEYS[3] persist backlog counter; ARGV[1] content, ARGV[2] log cap
 */
export const SEQUENCE_SCRIPT = `
local seq = redis.call('INCR', KEYS[1])
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local frame = string.format('%d %d ', seq, ms) .. ARGV[1]
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], string.format('%d-0', seq), 'm', frame)
redis.call('INCR', KEYS[3])
return {seq, ms}
`;

interface SequenceCommand {
  chatSequence(
    sequenceKey: string,
    logKey: string,
    backlogKey: string,
    content: Buffer,
    logCap: number,
  ): Promise<[number, number]>;
}

export interface RedisSequencerOptions {
  /** Command connection (see createCommandConnection); the sequencer closes it. */
  readonly commands: Redis;
  readonly keyPrefix: string;
  readonly logMaxLength: number;
}

/**
 * Sequences, replay log and claims in Redis, for a backplane whose messages travel elsewhere
 * (RabbitMQ; docs/adr/0003-rabbitmq-sequencing.md). Keys are the Redis backplane's own
 * (redis-keys.ts), so both backplanes read the same log the same way.
 */
export class RedisSequencer {
  readonly commands: Redis & SequenceCommand & SequenceFloorCommand;
  readonly keys: RedisKeys;

  constructor(private readonly options: RedisSequencerOptions) {
    this.commands = defineSequenceFloorCommand(options.commands) as Redis & SequenceCommand & SequenceFloorCommand;
    this.commands.defineCommand('chatSequence', { numberOfKeys: 3, lua: SEQUENCE_SCRIPT });
    this.keys = new RedisKeys(options.keyPrefix);
  }

  /** The message's sequence and Redis time, once it is in the replay log. */
  async sequence(destination: string, content: Buffer): Promise<{ seq: number; publishedAt: number }> {
    const [seq, publishedAt] = await this.commands.chatSequence(
      this.keys.sequence(destination),
      this.keys.log(destination),
      this.keys.brokerPersistBacklog,
      content,
      this.options.logMaxLength,
    );
    return { seq, publishedAt };
  }

  /** The destination's counter now (0 when it has none yet). */
  async currentSequence(destination: string): Promise<number> {
    return Number((await this.commands.get(this.keys.sequence(destination))) ?? 0);
  }

  async raiseSequence(destination: string, atLeast: number): Promise<void> {
    await this.commands.chatRaiseSequence(
      this.keys.sequence(destination),
      this.keys.log(destination),
      Math.floor(atLeast),
    );
  }

  async claimOnce(destination: string, key: string, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.floor(ttlMs));
    return (await this.commands.set(this.keys.claim(destination, key), '1', 'PX', ttl, 'NX')) === 'OK';
  }

  async releaseClaim(destination: string, key: string): Promise<void> {
    await this.commands.del(this.keys.claim(destination, key));
  }

  /** As RedisBackplane.readRecent: the log range and the counter read as one snapshot. */
  async readRecent(destination: string, afterSeq: number, limit: number): Promise<RecentMessages> {
    return readReplayLog(this.commands, this.keys, destination, afterSeq, limit);
  }

  /** The broker persist queue's backlog (see RedisKeys.brokerPersistBacklog). */
  async backlog(): Promise<number> {
    return Math.max(0, Number((await this.commands.get(this.keys.brokerPersistBacklog)) ?? 0));
  }

  async acknowledged(count: number): Promise<void> {
    if (count > 0) await this.commands.decrby(this.keys.brokerPersistBacklog, count);
  }
}
