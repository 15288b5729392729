import { randomBytes } from 'node:crypto';
import { describe, it } from '@jest/globals';
import mongoose from 'mongoose';
import { loadConfig } from '../../app/src/config/load-config.js';
import { mongoConnectionSettings } from '../../app/src/messages/store/mongo/mongo-connection-options.js';
import { MongoMessageStore } from '../../app/src/messages/store/mongo/mongo-message-store.js';
import { mongoUrl } from '../support/services.js';
import { describeMessageStoreContract } from './message-store.contract.js';

type MongoTarget = { readonly url: string; stop(): Promise<void> } | { readonly unavailable: string };

/** Shape of the part of mongodb-memory-server used here (it is not a dependency of this project). */
interface MemoryServerModule {
  MongoMemoryReplSet: {
    create(options: { replSet: { count: number } }): Promise<{ getUri(): string; stop(): Promise<unknown> }>;
  };
}

/**
 * MONGO_URL when set (a failure to connect then fails the suite); otherwise mongodb-memory-server
 * when it is installed and can start its binary (it downloads one on first use). No MongoDB can
 * be installed on the development machines this project is built on, so there the suite is
 * skipped, loudly.
 */
async function mongoTarget(): Promise<MongoTarget> {
  const url = mongoUrl();
  if (url !== undefined) return { url, stop: async () => undefined };
  const moduleName = 'mongodb-memory-server';
  let memory: MemoryServerModule;
  try {
    memory = (await import(moduleName)) as MemoryServerModule;
  } catch {
    return { unavailable: 'MONGO_URL is not set and mongodb-memory-server is not installed' };
  }
  try {
    // A one-member replica set: the topology DocumentDB presents (replicaSet=rs0).
    const server = await memory.MongoMemoryReplSet.create({ replSet: { count: 1 } });
    return { url: server.getUri(), stop: async () => void (await server.stop()) };
  } catch (error) {
    return { unavailable: `mongodb-memory-server could not start MongoDB (${(error as Error).message})` };
  }
}

/** The same server, a database of the suite's own. */
function withDatabase(url: string, database: string): string {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${database}`);
}

const target = await mongoTarget();
if ('unavailable' in target) {
  console.warn(
    `MessageStore contract on MongoDB SKIPPED: ${target.unavailable}. ` +
      'Set MONGO_URL=mongodb://host:port (or install mongodb-memory-server where it can download its binary) to run it.',
  );
  describe.skip(`MessageStore contract: MongoDB (SKIPPED: ${target.unavailable})`, () => {
    it('runs when MONGO_URL is set or mongodb-memory-server can start', () => undefined);
  });
} else {
  describeMessageStoreContract('MongoDB', async () => {
    const url = withDatabase(target.url, `chat_test_${randomBytes(6).toString('hex')}`);
    const config = loadConfig({ NODE_ENV: 'test', MESSAGE_STORE: 'mongo', MONGO_URL: url });
    if (config.messageStore.kind !== 'mongo') throw new Error('expected the mongo message store');
    const store = new MongoMessageStore(mongoConnectionSettings(config.messageStore.mongo));
    await store.open();
    return {
      store,
      close: async () => {
        await store.close();
        const admin = await mongoose.createConnection(url).asPromise();
        try {
          await admin.dropDatabase();
        } finally {
          await admin.close();
          await target.stop();
        }
      },
    };
  });
}
