import { describe, expect, it } from '@jest/globals';
import { Readiness } from '../../../app/src/ops/readiness.js';

describe('Readiness', () => {
  it('is ready when every check passes, and reports each', async () => {
    const readiness = new Readiness();
    readiness.register({ name: 'redis', check: () => Promise.resolve() });
    expect(await readiness.report()).toEqual({ ready: true, draining: false, checks: { redis: 'ok' } });
  });

  it('is not ready when a check fails, naming the failure', async () => {
    const readiness = new Readiness();
    readiness.register({ name: 'redis', check: () => Promise.resolve() });
    readiness.register({ name: 'mysql', check: () => Promise.reject(new Error('connection refused')) });
    const report = await readiness.report();
    expect(report.ready).toBe(false);
    expect(report.checks).toEqual({ redis: 'ok', mysql: 'connection refused' });
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
      checks: { redis: 'ok', 'message-store': 'unavailable for 12 s' },
    });
  });

  it('is not ready while draining, even with healthy dependencies', async () => {
    const readiness = new Readiness();
    readiness.markDraining();
    expect((await readiness.report()).ready).toBe(false);
    expect(readiness.draining).toBe(true);
  });
});
