import { afterAll } from '@jest/globals';
import { startOwnRedisCluster } from '../support/own-redis-cluster.js';
import { describePresenceRegistryContract } from './presence-registry.contract.js';
import { clusterRedis, redisPresenceWorlds } from './redis-worlds.js';

// A 3-primary, 3-replica cluster of this suite's own (about 3 s to form).
const cluster = await startOwnRedisCluster();
afterAll(() => cluster.dispose());

describePresenceRegistryContract('Redis Cluster', redisPresenceWorlds(clusterRedis(cluster)));
