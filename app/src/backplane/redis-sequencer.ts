import type { Redis } from 'ioredis';
import type { RecentMessages } from './backplane.port.js';
import { RedisKeys } from './redis-keys.js';
import { readReplayLog } from './redis-replay-log.js';
import { SequencedPublish } from './redis-sequenced-publish.js';
import { TickCork } from '../streams/tick-cork.js';

export interface RedisSequencerOptions {
  /** Command connection (see createCommandConnection); the sequencer closes it. */
  readonly commands: Redis;
  readonly keyPrefix: string;
  readonly logMaxLength: number;
}

/**
 * Sequences, replay log and dedupe records in Redis, for a backplane whose messages travel
 * elsewhere (RabbitMQ; docs/adr/0003-rabbitmq-sequencing.md). A message is sequenced by the Redis
 * backplane's own publish script in its 'broker' transport (everything but the PUBLISH), and keys
 * are the Redis backplane's (redis-keys.ts), so both backplanes number, dedupe and read the log
 * the same way.
 */
export class RedisSequencer {
  readonly commands: Redis;
  readonly keys: RedisKeys;
  private readonly cork: TickCork;

  constructor(private readonly options: RedisSequencerOptions) {
    this.commands = options.commands;
    this.keys = new RedisKeys(options.keyPrefix);
    this.cork = new TickCork(() => this.commands.stream);
  }

  /** The publish script in its 'broker' transport, remembering what this instance saw as `newestDelivered` says. */
  sequencedPublish(newestDelivered: (destination: string) => number): SequencedPublish {
    return new SequencedPublish({
      commands: this.commands,
      keys: this.keys,
      logMaxLength: this.options.logMaxLength,
      transport: 'broker',
      newestDelivered,
      // A tick's scripts leave in one write, as on the Redis backplane (tick-cork.ts).
      beforeCommand: () => {
        this.cork.hold();
        return undefined;
      },
    });
  }

  /** The destination's counter now (0 when it has none yet). */
  async currentSequence(destination: string): Promise<number> {
    return Number((await this.commands.get(this.keys.sequence(destination))) ?? 0);
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
