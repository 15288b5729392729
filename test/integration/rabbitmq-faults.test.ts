import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PublishedMessage } from '../../app/src/backplane/backplane.port.js';
import { RabbitBackplane } from '../../app/src/backplane/rabbit-backplane.js';
import { RabbitPersistQueue } from '../../app/src/backplane/rabbit-persist-queue.js';
import { AppError } from '../../app/src/errors/app-error.js';
import { rabbitNodeSupported, startRabbitNode, type RabbitNode } from '../support/rabbitmq-node.js';
import { randomRabbitPrefix, testRabbitSettings, testSequencer } from '../support/rabbitmq.js';
import { deleteRedisKeys, describeRedisUnavailable, redisAvailable } from '../support/redis.js';
import { describeServiceUnavailable } from '../support/services.js';
import { until } from '../support/until.js';

/**
 * Faults on a real broker, a node of this suite's own (test/support/rabbitmq-node.ts): the broker
 * restarted mid-stream and a memory alarm. Two backplanes stand for two instances.
 */
const SUITE = 'RabbitMQ backplane under broker faults';
const CONFIRM_TIMEOUT_MS = 1_000;
const redis = await redisAvailable();
if (!redis.ok) describeRedisUnavailable(SUITE, redis.reason);
else if (!rabbitNodeSupported())
  describeServiceUnavailable(SUITE, 'RabbitMQ server', 'PATH', 'rabbitmq-server is not installed');
else describeFaults();

function describeFaults(): void {
  describe(SUITE, () => {
    let node: RabbitNode;
    const prefix = randomRabbitPrefix();
    let settings: ReturnType<typeof testRabbitSettings>;
    let publisher: RabbitBackplane;
    let subscriber: RabbitBackplane;
    let queue: RabbitPersistQueue;

    beforeAll(async () => {
      node = await startRabbitNode();
      settings = testRabbitSettings(prefix, { RABBITMQ_CONFIRM_TIMEOUT_MS: String(CONFIRM_TIMEOUT_MS) }, node.url);
      const backplane = (name: string) =>
        new RabbitBackplane({
          rabbit: settings.rabbitmq,
          sequencer: testSequencer(settings.redis, name),
          timeoutMs: 2_000,
        });
      publisher = backplane('faults-publisher');
      subscriber = backplane('faults-subscriber');
      queue = new RabbitPersistQueue({
        rabbit: settings.rabbitmq,
        sequencer: testSequencer(settings.redis, 'faults-persist'),
        timeoutMs: 10_000,
      });
      await Promise.all([publisher.whenControlReady(), subscriber.whenControlReady()]);
    }, 90_000);

    afterAll(async () => {
      await Promise.all([publisher?.close(), subscriber?.close(), queue?.close()]);
      await node?.stop();
      await deleteRedisKeys(`${prefix}:`);
    }, 60_000);

    const topic = () => `/topic/faults.${randomBytes(3).toString('hex')}`;
    const failureCode = (error: unknown) =>
      error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;

    it('loses no receipted message across stop_app/start_app, never reuses a sequence, and resumes by itself', async () => {
      const destination = topic();
      const delivered: PublishedMessage[] = [];
      await subscriber.subscribe(destination, (message) => delivered.push(message));
      const receipted: PublishedMessage[] = [];
      const failures: string[] = [];
      let restarted = false;
      const publishing = (async () => {
        // Until 50 more are receipted after the broker came back.
        let afterRestart = 0;
        for (let i = 0; afterRestart < 50; i++) {
          try {
            receipted.push(await publisher.publish({ destination, headers: [], body: Buffer.from(`m${i}`) }));
            if (restarted) afterRestart++;
          } catch (error) {
            failures.push(failureCode(error));
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      await until(() => receipted.length >= 100, 20_000);
      await node.ctl('stop_app');
      await until(() => failures.length > 0, 10_000);
      await node.ctl('start_app');
      restarted = true;
      await publishing;

      expect(new Set(failures)).toEqual(new Set(['BACKPLANE_UNAVAILABLE']));
      const seqs = receipted.map((message) => message.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      // Every receipted message is in the durable persist queue.
      const queued = new Map<string, number>();
      await until(async () => {
        for (const entry of await queue.read('faults', 500, 200)) {
          queued.set(entry.message.id, entry.message.seq);
          await queue.acknowledge([entry.entryId]);
        }
        return receipted.every((message) => queued.has(message.id));
      }, 20_000);
      // The other instance delivered them in order, holes filled from the replay log.
      await until(() => delivered.length >= seqs.length, 10_000);
      const deliveredSeqs = delivered.map((message) => message.seq);
      expect(deliveredSeqs).toEqual([...deliveredSeqs].sort((a, b) => a - b));
      for (const message of receipted) expect(deliveredSeqs).toContain(message.seq);
    }, 90_000);

    it('fails SENDs with BACKPLANE_UNAVAILABLE within a bound while a memory alarm blocks publishing, then recovers', async () => {
      const destination = topic();
      await publisher.publish({ destination, headers: [], body: Buffer.from('before') });
      await node.ctl('set_vm_memory_high_watermark', '0.0000001');
      try {
        const started = Date.now();
        const outcomes = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            publisher.publish({ destination, headers: [], body: Buffer.from(`blocked ${i}`) }).then(
              () => 'receipted',
              (error: unknown) => failureCode(error),
            ),
          ),
        );
        const tookMs = Date.now() - started;
        expect(outcomes).toContain('BACKPLANE_UNAVAILABLE');
        expect(outcomes.every((outcome) => outcome === 'BACKPLANE_UNAVAILABLE' || outcome === 'receipted')).toBe(true);
        expect(tookMs).toBeLessThan(CONFIRM_TIMEOUT_MS + 4_000);
        // While blocked, a new SEND is refused at once rather than queued.
        await until(async () => {
          const started2 = Date.now();
          const outcome = await publisher
            .publish({ destination, headers: [], body: Buffer.from('still blocked') })
            .then(() => 'receipted', failureCode);
          return outcome === 'BACKPLANE_UNAVAILABLE' && Date.now() - started2 < 200;
        }, 10_000);
      } finally {
        await node.ctl('set_vm_memory_high_watermark', '0.4');
      }
      await until(
        async () =>
          publisher.publish({ destination, headers: [], body: Buffer.from('after') }).then(
            () => true,
            () => false,
          ),
        20_000,
      );
    }, 60_000);
  });
}
