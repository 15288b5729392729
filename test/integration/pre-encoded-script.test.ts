import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { PreEncodedScript } from '../../app/src/redis/pre-encoded-script.js';
import { describeRedisUnavailable, redisAvailable } from '../support/redis.js';
import { type OwnRedisServer, startOwnRedisServer } from '../support/own-redis-server.js';

/** Echoes its keys and arguments back, counts its runs in KEYS[1] and keeps its first argument. */
const ECHO_SCRIPT = `
redis.call('INCR', KEYS[1])
if ARGV[1] then redis.call('SET', KEYS[1] .. ':first-argument', ARGV[1]) end
local out = {}
for _, key in ipairs(KEYS) do out[#out + 1] = key end
for _, arg in ipairs(ARGV) do out[#out + 1] = arg end
out[#out + 1] = tonumber(redis.call('GET', KEYS[1]))
return out
`;

/**
 * The publish script's transport on a real redis-server of the suite's own (the tests flush its
 * script cache and pause it, which must not touch the shared one).
 */
const availability = await redisAvailable();
if (!availability.ok) {
  describeRedisUnavailable('PreEncodedScript', availability.reason);
} else {
  describe('PreEncodedScript', () => {
    let server: OwnRedisServer;
    let admin: Redis;
    const connections: Redis[] = [];
    // A comment makes each suite run's script text (and digest) its own.
    const lua = `-- ${randomBytes(4).toString('hex')}\n${ECHO_SCRIPT}`;

    const connect = (commandTimeout?: number) => {
      const redis = new Redis(server.url, { commandTimeout, maxRetriesPerRequest: 1 });
      connections.push(redis);
      return redis;
    };
    const commandCount = async (command: string) => {
      const stats = (await admin.info('commandstats')).split('\r\n');
      const line = stats.find((entry) => entry.startsWith(`cmdstat_${command}:`));
      return Number(/calls=(\d+)/.exec(line ?? '')?.[1] ?? 0);
    };

    beforeAll(async () => {
      server = await startOwnRedisServer();
      admin = new Redis(server.url);
    });

    afterAll(async () => {
      for (const redis of connections) redis.disconnect();
      admin.disconnect();
      await server.dispose();
    });

    it('sends keys and arguments byte for byte and answers as ioredis would (text and integers)', async () => {
      const script = new PreEncodedScript(connect(), lua, 2);
      const binary = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x41]);
      const reply = (await script.run(['{t}:runs', '{t}:é€', binary, 42, ''])) as unknown[];
      expect(reply.slice(0, 2)).toEqual(['{t}:runs', '{t}:é€']);
      // The binary argument comes back as text, as with ioredis's own script commands.
      expect(reply[2]).toBe(binary.toString('utf8'));
      expect(reply.slice(3)).toEqual(['42', '', 1]);
      expect(await admin.getBuffer('{t}:runs:first-argument')).toEqual(binary);
    });

    it('runs the whole script first on a connection, then only its digest', async () => {
      const script = new PreEncodedScript(connect(), lua, 1);
      const evalsBefore = await commandCount('eval');
      const shasBefore = await commandCount('evalsha');
      for (let run = 0; run < 3; run++) await script.run(['first-then-sha']);
      expect(await commandCount('eval')).toBe(evalsBefore + 1);
      expect(await commandCount('evalsha')).toBe(shasBefore + 2);
    });

    it('runs again after the server forgot the script (NOSCRIPT: the whole script once more)', async () => {
      const script = new PreEncodedScript(connect(), lua, 1);
      await script.run(['flushed']);
      await admin.script('FLUSH');
      const reply = (await script.run(['flushed', 'after'])) as unknown[];
      expect(reply).toEqual(['flushed', 'after', 2]);
      expect(await script.run(['flushed'])).toEqual(['flushed', 3]);
    });

    it('passes any other error reply on to the caller', async () => {
      const failing = new PreEncodedScript(connect(), `return redis.error_reply('BROKEN on purpose')`, 0);
      await expect(failing.run([])).rejects.toThrow('BROKEN on purpose');
    });

    it("fails a run the server does not answer within the connection's command timeout, and runs again after", async () => {
      const redis = connect(300);
      const script = new PreEncodedScript(redis, lua, 1);
      await script.run(['paused']);
      await admin.call('CLIENT', 'PAUSE', '1500', 'ALL');
      const started = Date.now();
      await expect(script.run(['paused'])).rejects.toThrow('Command timed out');
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(250);
      expect(waited).toBeLessThan(1_200);
      await admin.call('CLIENT', 'UNPAUSE');
      // The run that timed out still ran once the pause ended; the next one counts on from it.
      expect(await script.run(['paused'])).toEqual(['paused', 3]);
    });
  });
}
