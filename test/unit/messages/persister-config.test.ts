import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../app/src/config/load-config.js';

describe('persister configuration', () => {
  it('defaults to batches of 500, retries from 200 ms up to 10 s, a 10 s shutdown flush and a 100 ms linger', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).persister).toEqual({
      batchSize: 500,
      retryInitialMs: 200,
      retryMaxMs: 10_000,
      flushTimeoutMs: 10_000,
      lingerMs: 100,
      claimIdleMs: 30_000,
    });
  });

  it('takes every setting from the environment', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      PERSISTER_BATCH_SIZE: '1000',
      PERSISTER_RETRY_INITIAL_MS: '50',
      PERSISTER_RETRY_MAX_MS: '30000',
      PERSISTER_FLUSH_TIMEOUT_MS: '0',
      PERSISTER_LINGER_MS: '0',
      PERSISTER_CLAIM_IDLE_MS: '2000',
    });
    expect(config.persister).toEqual({
      batchSize: 1_000,
      retryInitialMs: 50,
      retryMaxMs: 30_000,
      flushTimeoutMs: 0,
      lingerMs: 0,
      claimIdleMs: 2_000,
    });
  });

  it('refuses a batch size out of range and a retry cap below the first wait, naming the variables', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', PERSISTER_BATCH_SIZE: '0' })).toThrow(
      /PERSISTER_BATCH_SIZE: expected an integer from 1 to 10000/,
    );
    expect(() =>
      loadConfig({ NODE_ENV: 'test', PERSISTER_RETRY_INITIAL_MS: '5000', PERSISTER_RETRY_MAX_MS: '1000' }),
    ).toThrow(/PERSISTER_RETRY_MAX_MS: expected at least PERSISTER_RETRY_INITIAL_MS/);
  });

  it('leaves Mongo options it was not given to the URL', () => {
    const config = loadConfig({ NODE_ENV: 'test', MONGO_URL: 'mongodb://db:27017/chat?retryWrites=false' });
    expect(config.messageStore).toEqual({
      kind: 'mongo',
      mongo: expect.objectContaining({
        url: 'mongodb://db:27017/chat?retryWrites=false',
        retryWrites: undefined,
        readPreference: undefined,
        tls: undefined,
      }),
    });
  });
});
