import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadedPackages, MODULE_RECORDER } from '../support/loaded-packages.js';
import {
  deleteRedisKeys,
  describeRedisUnavailable,
  randomKeyPrefix,
  redisAvailable,
  redisUrl,
} from '../support/redis.js';
import { COMPILED_MAIN_META, ServerProcess } from '../support/server-process.js';

/**
 * Clients a configuration may not need, each several MiB of memory once imported (measured in
 * docs/benchmarks.md, "Baseline memory"): the app imports each inside the factory that the
 * configuration selects. mongodb and bson come with mongoose.
 */
const MONGO = ['mongoose', 'mongodb', 'bson'];
const REDIS = ['ioredis'];
const RABBITMQ = ['amqplib'];
const ELB = ['@aws-sdk/client-elastic-load-balancing-v2'];
/** The OpenAPI document's builder and what it brings: loaded on the first request for /docs-json. */
const OPENAPI = ['@nestjs/swagger', 'es-toolkit'];
/** What class-validator's index alone brings (app/src/http/validators.ts loads the DTOs' decorators one file each). */
const VALIDATOR_INDEX_ONLY = ['libphonenumber-js'];

const dir = mkdtempSync(join(tmpdir(), 'chat-startup-packages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Starts the service as production runs it (the bundle) with the module recorder preloaded,
 * stops it once it listens (and `whileUp` is done with it), and returns the packages it had
 * loaded by then.
 */
async function packagesLoadedAtStart(
  name: string,
  env: Record<string, string>,
  whileUp?: (server: ServerProcess) => Promise<void>,
): Promise<Set<string>> {
  const record = join(dir, `${name}.modules`);
  const server = await ServerProcess.start(
    {
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATA_DIR: join(dir, name),
      SHUTDOWN_DRAIN_MS: '0',
      RECORD_LOADED_MODULES_TO: record,
      ...env,
    },
    ['--import', `./${MODULE_RECORDER}`],
  );
  try {
    await whileUp?.(server);
  } finally {
    expect(await server.stop('SIGTERM')).toBe(0);
  }
  return loadedPackages(record, COMPILED_MAIN_META);
}

describe('packages loaded at start-up (compiled server process)', () => {
  it("the embedded default loads neither the Mongo, Redis, RabbitMQ nor ELB client, nor class-validator's index, even once it validated", async () => {
    // `npm test` builds first; run `npm run build` before running this file alone.
    const loaded = await packagesLoadedAtStart('embedded', {}, async (server) => {
      // A body the DTO refuses: validation ran, with the decorators' files only.
      const reply = await fetch(`${server.httpUrl}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: '!', password: 'short' }),
      });
      expect(reply.status).toBe(400);
      expect(((await reply.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    });
    // The record sees what the process does load: bundled packages by their chunk (Nest, TypeORM),
    // the others by import or require (better-sqlite3, a native addon; class-validator's files).
    expect(
      ['@nestjs/core', 'typeorm', 'better-sqlite3', 'class-validator'].filter((name) => !loaded.has(name)),
    ).toEqual([]);
    expect(
      [...MONGO, ...REDIS, ...RABBITMQ, ...ELB, ...OPENAPI, ...VALIDATOR_INDEX_ONLY].filter((name) => loaded.has(name)),
    ).toEqual([]);
  }, 60_000);

  it('loads the OpenAPI builder on the first request for the document, and serves it', async () => {
    const loaded = await packagesLoadedAtStart('openapi', {}, async (server) => {
      const reply = await fetch(`${server.httpUrl}/docs-json`);
      expect(reply.status).toBe(200);
      const document = (await reply.json()) as { paths: Record<string, unknown> };
      expect(Object.keys(document.paths)).toContain('/rooms');
    });
    expect(loaded.has('@nestjs/swagger')).toBe(true);
  }, 60_000);
});

const redis = await redisAvailable();
if (redis.ok) {
  describe('packages loaded at start-up on Redis (compiled server process)', () => {
    const keyPrefix = randomKeyPrefix();
    afterAll(() => deleteRedisKeys(keyPrefix));

    it('BACKPLANE=redis loads ioredis, and still neither the Mongo, RabbitMQ nor ELB client', async () => {
      const loaded = await packagesLoadedAtStart('redis', {
        BACKPLANE: 'redis',
        REDIS_URL: redisUrl(),
        REDIS_KEY_PREFIX: keyPrefix,
      });
      expect(loaded.has('ioredis')).toBe(true);
      expect([...MONGO, ...RABBITMQ, ...ELB].filter((name) => loaded.has(name))).toEqual([]);
    }, 60_000);
  });
} else {
  describeRedisUnavailable('packages loaded at start-up on Redis', redis.reason);
}
