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
  });

  it('keeps inherited variables but lets the benchmark settings win', () => {
    const env = serverEnv({ PATH: '/bin', PORT: '80', UNSET: undefined }, overrides);
    expect(env['PATH']).toBe('/bin');
    expect(env['PORT']).toBe('5123');
    expect('UNSET' in env).toBe(false);
  });
});
