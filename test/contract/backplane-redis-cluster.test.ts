import { afterAll } from '@jest/globals';
import { startOwnRedisCluster } from '../support/own-redis-cluster.js';
import { describeBackplaneContract } from './backplane.contract.js';
import { clusterRedis, redisBackplaneWorlds } from './redis-worlds.js';

// A 3-primary, 3-replica cluster of this suite's own (about 3 s to form).
const cluster = await startOwnRedisCluster();
afterAll(() => cluster.dispose());

describeBackplaneContract('Redis Cluster', redisBackplaneWorlds(clusterRedis(cluster)));
