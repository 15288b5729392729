import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../app/src/config/load-config.js';
import { AppError } from '../../../app/src/errors/app-error.js';

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG_INVALID');
    return (error as AppError).message;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('gives the embedded default with no environment: port 8080, local backplane, SQLite under ./data', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(8080);
    expect(config.backplane).toEqual({ kind: 'local' });
    expect(config.messageStore).toEqual({ kind: 'sql' });
    expect(config.database.kind).toBe('sqlite');
    expect(config.database.kind === 'sqlite' && config.database.path).toMatch(/data\/chat\.sqlite$/);
  });

  it('moves to Redis and MySQL when their URLs are set', () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', MYSQL_URL: 'mysql://root@127.0.0.1:3306/chat' });
    expect(config.backplane.kind).toBe('redis');
    expect(config.database.kind).toBe('mysql');
  });

  it.each([
    [{ PORT: 'eighty' }, "PORT: expected an integer from 0 to 65535, got 'eighty'"],
    [{ PORT: '70000' }, 'PORT: expected an integer from 0 to 65535'],
    [{ BACKPLANE: 'kafka' }, 'BACKPLANE: expected one of local, redis'],
    [{ AUTH_DEV_ACCEPT_ANY: 'maybe' }, 'AUTH_DEV_ACCEPT_ANY: expected true or false'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL: expected a URL starting with redis:// or rediss://'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET: expected at least 32 bytes'],
    [{ STOMP_SEND_RATE_PER_SECOND: '500', STOMP_SEND_BURST: '10' }, 'STOMP_SEND_BURST: expected at least'],
  ])('names the bad variable and what it expects: %j', (env, message) => {
    expect(configError(env)).toContain(message);
  });

  it('reports every problem at once', () => {
    const message = configError({ PORT: 'x', LOG_LEVEL: 'loud' });
    expect(message).toContain('PORT:');
    expect(message).toContain('LOG_LEVEL:');
  });

  it('never echoes a URL that may hold a password', () => {
    expect(configError({ MYSQL_URL: 'postgres://user:hunter2@db/x' })).not.toContain('hunter2');
  });

  it('refuses the development authenticator and weak secrets in production', () => {
    const message = configError({ NODE_ENV: 'production', AUTH_DEV_ACCEPT_ANY: 'true' });
    expect(message).toContain('AUTH_DEV_ACCEPT_ANY: must be false when NODE_ENV=production');
    expect(message).toContain('JWT_SECRET: expected at least 32 bytes when NODE_ENV=production');
  });

  it('turns the development authenticator off by default in production', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) });
    expect(config.auth.devAcceptAny).toBe(false);
  });
});
