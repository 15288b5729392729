import { RabbitBackplane } from '../../app/src/backplane/rabbit-backplane.js';
import { RabbitPersistQueue } from '../../app/src/backplane/rabbit-persist-queue.js';
import type { RabbitConfig, RedisConfig } from '../../app/src/config/app-config.js';
import {
  deleteRabbitNames,
  describeRabbitUnavailable,
  rabbitAndRedisAvailable,
  randomRabbitPrefix,
  testRabbitSettings,
  testSequencer,
} from './rabbitmq.js';
import { OpenedParts } from './opened-parts.js';
import { deleteRedisKeys } from './redis.js';

/** How long the parts wait for the broker or Redis in the shared-service suites. */
const TIMEOUT_MS = 5_000;

/**
 * The BACKPLANE=rabbitmq parts of one test (RabbitMQ transport and persist queue, Redis
 * sequencer), wired as the app wires them, under a name and key prefix of its own: close()
 * closes every part it made and removes its exchanges, persist queue and Redis keys.
 */
export class RabbitWorld {
  readonly prefix = randomRabbitPrefix();
  readonly redis: RedisConfig;
  readonly rabbitmq: RabbitConfig;
  private readonly opened = new OpenedParts();

  /** `env`: REDIS_* / RABBITMQ_* settings to differ from the defaults (e.g. REDIS_LOG_MAX_LENGTH). */
  constructor(env: Record<string, string> = {}) {
    ({ redis: this.redis, rabbitmq: this.rabbitmq } = testRabbitSettings(this.prefix, env));
  }

  backplane(name: string): RabbitBackplane {
    return this.opened.add(
      new RabbitBackplane({
        rabbit: this.rabbitmq,
        sequencer: testSequencer(this.redis, name),
        timeoutMs: TIMEOUT_MS,
      }),
    );
  }

  persistQueue(name: string, claimIdleMs?: number): RabbitPersistQueue {
    return this.opened.add(
      new RabbitPersistQueue({
        rabbit: this.rabbitmq,
        sequencer: testSequencer(this.redis, name),
        timeoutMs: TIMEOUT_MS,
        claimIdleMs,
      }),
    );
  }

  async close(): Promise<void> {
    await this.opened.closeAll();
    await Promise.all([deleteRedisKeys(this.redis.keyPrefix), deleteRabbitNames(this.prefix)]);
  }
}

/**
 * Declares `suite` through `describeSuite` when RabbitMQ and Redis answer; otherwise a suite that
 * fails (REQUIRE_SERVICES=1) or is skipped, named `suite`, with the reason.
 */
export async function describeOnRabbitMq(suite: string, describeSuite: () => void): Promise<void> {
  const availability = await rabbitAndRedisAvailable();
  if (availability.ok) describeSuite();
  else describeRabbitUnavailable(suite, availability.reason);
}
