import { describe, expect, it } from '@jest/globals';
import { serverEnv, serverEnvOverrides } from '../../../bench/server-env.js';

describe('server environment', () => {
  const overrides = serverEnvOverrides({ port: 5123, backplane: 'local', dataDir: '/tmp/x' });

  it('binds to loopback on the chosen port with measurement-friendly settings', () => {
    expect(overrides).toMatchObject({
      PORT: '5123',
      HOST: '127.0.0.1',
      AUTH_DEV_ACCEPT_ANY: 'true',
      STOMP_HEARTBEAT_SEND_MS: '0',
      STOMP_HEARTBEAT_RECEIVE_MS: '0',
      WS_PING_INTERVAL_MS: '0',
      BACKPLANE: 'local',
      DATA_DIR: '/tmp/x',
    });
    expect(Number(overrides['STOMP_SEND_RATE_PER_SECOND'])).toBeGreaterThanOrEqual(10_000);
    expect(overrides['REDIS_KEY_PREFIX']).toBeUndefined();
  });

  it('keeps users and rooms in the throwaway SQLite file even when MYSQL_URL or MONGO_URL is inherited', () => {
    const env = serverEnv({ MYSQL_URL: 'mysql://root@127.0.0.1:3306', MONGO_URL: 'mongodb://x' }, overrides);
    expect(env).toMatchObject({ DATABASE: 'sqlite', MESSAGE_STORE: 'sql' });
  });

  it("gives Redis servers the run's URL and the attempt's key prefix, over inherited ones", () => {
    const redis = serverEnvOverrides({
      port: 5124,
      backplane: 'redis',
      dataDir: '/tmp/y',
      redis: { url: 'redis://127.0.0.1:6379', keyPrefix: 'bench:0a1b2c3d:1:' },
    });
    const env = serverEnv({ REDIS_URL: 'redis://elsewhere:6379', REDIS_KEY_PREFIX: 'chat:' }, redis);
    expect(env).toMatchObject({
      BACKPLANE: 'redis',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: 'bench:0a1b2c3d:1:',
    });
  });

  it('keeps inherited variables but lets the benchmark settings win', () => {
    const env = serverEnv({ PATH: '/bin', PORT: '80', UNSET: undefined }, overrides);
    expect(env['PATH']).toBe('/bin');
    expect(env['PORT']).toBe('5123');
    expect('UNSET' in env).toBe(false);
  });
});
