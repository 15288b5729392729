import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_MYSQL_URL,
  DEFAULT_REDIS_URL,
  keyPattern,
  parsePid,
  parseRedisCpuMicros,
  randomKeyPrefix,
  redactUrl,
  resolveMysqlUrl,
  resolveRedisUrl,
  scratchDatabaseName,
} from '../../../bench/services.js';

describe('benchmark services', () => {
  it('uses REDIS_URL, else REDIS_HOST/PORT, else the local Redis', () => {
    expect(resolveRedisUrl({ REDIS_URL: 'redis://127.0.0.1:6380' })).toBe('redis://127.0.0.1:6380');
    expect(resolveRedisUrl({ REDIS_HOST: '127.0.0.2' })).toBe('redis://127.0.0.2:6379');
    expect(resolveRedisUrl({ REDIS_HOST: '127.0.0.2', REDIS_PORT: '7000' })).toBe('redis://127.0.0.2:7000');
    expect(resolveRedisUrl({})).toBe(DEFAULT_REDIS_URL);
    expect(DEFAULT_REDIS_URL).toBe('redis://127.0.0.1:6379');
  });

  it('uses MYSQL_URL, else the local MariaDB as root', () => {
    expect(resolveMysqlUrl({ MYSQL_URL: 'mysql://u:p@127.0.0.1:3307/x' })).toBe('mysql://u:p@127.0.0.1:3307/x');
    expect(resolveMysqlUrl({})).toBe(DEFAULT_MYSQL_URL);
  });

  it('never shows a password', () => {
    expect(redactUrl('mysql://root:secret@127.0.0.1:3306/db')).toBe('mysql://root:***@127.0.0.1:3306/db');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('not a url')).toBe('(unparseable URL)');
  });

  it('makes prefixes and database names from random bytes', () => {
    expect(randomKeyPrefix(Buffer.from([0x0a, 0x1b, 0x2c, 0x3d]))).toBe('bench:0a1b2c3d:');
    expect(randomKeyPrefix()).toMatch(/^bench:[0-9a-f]{8}:$/);
    expect(scratchDatabaseName(Buffer.from([1, 2, 3, 4, 5, 6]))).toBe('bench_010203040506');
    expect(scratchDatabaseName()).toMatch(/^bench_[0-9a-f]{12}$/);
  });

  it('matches every key under a prefix, escaping glob characters', () => {
    expect(keyPattern('bench:0a1b2c3d:1:')).toBe('bench:0a1b2c3d:1:*');
    expect(keyPattern('a*b?[c]\\')).toBe('a\\*b\\?\\[c\\]\\\\*');
  });

  it("reads Redis' CPU from INFO cpu", () => {
    const info = '# CPU\r\nused_cpu_sys:12.500000\r\nused_cpu_user:7.250001\r\nused_cpu_sys_children:0.000000\r\n';
    expect(parseRedisCpuMicros(info)).toBe(19_750_001);
    expect(parseRedisCpuMicros('# CPU\r\n')).toBeUndefined();
  });

  it('reads a pid file', () => {
    expect(parsePid('3771\n')).toBe(3771);
    expect(parsePid('')).toBeUndefined();
    expect(parsePid('x')).toBeUndefined();
  });
});
