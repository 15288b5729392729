import { describe, expect, it } from '@jest/globals';
import { Readiness } from '../../../app/src/ops/readiness.js';

describe('Readiness', () => {
  it('is ready when every check passes, and reports each', async () => {
    const readiness = new Readiness();
    readiness.register({ name: 'redis', check: () => Promise.resolve() });
    expect(await readiness.report()).toEqual({ ready: true, draining: false, checks: { redis: 'ok' } });
  });

  it('is not ready when a check fails, and keeps the error text out of the report (it goes to the log)', async () => {
    const logged: Array<[string, unknown]> = [];
    const readiness = new Readiness((name, error) => logged.push([name, error]));
    readiness.register({ name: 'redis', check: () => Promise.resolve() });
    const leak = new Error("connect ECONNREFUSED chat-db.internal:3306 (user 'chatadmin')");
    readiness.register({ name: 'mysql', check: () => Promise.reject(leak) });
    const report = await readiness.report();
    expect(report.ready).toBe(false);
    expect(report.checks).toEqual({ redis: 'ok', mysql: 'failed' });
    expect(JSON.stringify(report)).not.toContain('chat-db');
    expect(logged).toEqual([['mysql', leak]]);
  });

  it('reports a failing advisory check without becoming unready', async () => {
    const readiness = new Readiness();
    readiness.register({ name: 'redis', check: () => Promise.resolve() });
    readiness.register({
      name: 'message-store',
      advisory: true,
      check: () => Promise.reject(new Error('unavailable for 12 s')),
    });
    expect(await readiness.report()).toEqual({
      ready: true,
      draining: false,
      checks: { redis: 'ok', 'message-store': 'failed' },
    });
  });

  it('is not ready while draining, even with healthy dependencies', async () => {
    const readiness = new Readiness();
    readiness.markDraining();
    expect((await readiness.report()).ready).toBe(false);
    expect(readiness.draining).toBe(true);
  });
});
