import { afterAll } from '@jest/globals';
import { redisClusterBroker } from '../support/brokers.js';
import { startOwnRedisCluster } from '../support/own-redis-cluster.js';
import { describeThreeInstances } from './multi-instance.suite.js';

// The same three-instance tests, on a 3-primary, 3-replica cluster of this suite's own.
const cluster = await startOwnRedisCluster();
afterAll(() => cluster.dispose());

await describeThreeInstances(redisClusterBroker(cluster));
