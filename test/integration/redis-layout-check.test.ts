import { afterAll, describe, expect, it } from '@jest/globals';
import { createCommandConnection } from '../../app/src/redis/redis-connection.js';
import { RedisKeys } from '../../app/src/backplane/redis-keys.js';
import { checkClusterKeyLayout, UnpersistedSingleNodeStream } from '../../app/src/backplane/redis-layout-check.js';
import {
  deleteRedisKeys,
  describeRedisUnavailable,
  randomKeyPrefix,
  redisAvailable,
  testRedisConfig,
} from '../support/redis.js';

const availability = await redisAvailable();
if (availability.ok) {
  describe('Start-up check before cluster mode', () => {
    const keyPrefix = randomKeyPrefix();
    const redis = createCommandConnection(testRedisConfig(keyPrefix), 'layout-check-test');
    afterAll(async () => {
      redis.disconnect();
      await deleteRedisKeys(keyPrefix);
    });

    it('passes when the single-node persist stream is absent or drained', async () => {
      await expect(checkClusterKeyLayout(redis, keyPrefix, 1_000)).resolves.toBeUndefined();
    });

    it('refuses, naming the stream and what to do, while it still holds unpersisted messages', async () => {
      const stream = new RedisKeys(keyPrefix).persistStream;
      await redis.xadd(stream, '*', 'm', 'a');
      await redis.xadd(stream, '*', 'm', 'b');
      const refusal = checkClusterKeyLayout(redis, keyPrefix, 1_000);
      await expect(refusal).rejects.toBeInstanceOf(UnpersistedSingleNodeStream);
      await expect(refusal).rejects.toThrow(`2 messages in the single-node persist stream ${stream}`);
      await expect(refusal).rejects.toThrow('with REDIS_CLUSTER unset until that stream is empty');
    });

    it('gives up quietly when Redis does not answer in time (Redis being down is reported elsewhere)', async () => {
      const silent = { xlen: () => new Promise<number>(() => undefined) } as unknown as typeof redis;
      await expect(checkClusterKeyLayout(silent, keyPrefix, 50)).resolves.toBeUndefined();
    });
  });
} else {
  describeRedisUnavailable('Start-up check before cluster mode', availability.reason);
}
