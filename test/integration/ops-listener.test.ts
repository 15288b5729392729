import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import { closeOps, listenOps, opsPortOf } from '../../app/src/ops/ops-listener.js';
import { isOpsPath } from '../../app/src/ops/ops-routes.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

describe('ops routes on their own listener (OPS_PORT)', () => {
  let server: RunningApp;
  let ops: Server;
  let opsUrl: string;

  beforeAll(async () => {
    server = await startTestApp({ OPS_PORT: '0' });
    ops = await listenOps(server.app, '127.0.0.1', 0);
    opsUrl = `http://127.0.0.1:${opsPortOf(ops)}`;
  });

  afterAll(async () => {
    await closeOps(ops);
    await server.close();
  });

  it.each(['/metrics', '/readyz', '/docs-json', '/Metrics', '/readyz/', '/docs/'])(
    'answers 404 with the JSON error shape for %s on the public port',
    async (path) => {
      const response = await fetch(`${server.httpUrl}${path}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    },
  );

  it('serves metrics, readiness and the OpenAPI document on the ops port', async () => {
    const metrics = await fetch(`${opsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('stomp_connections');
    const ready = await fetch(`${opsUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { status: string }).status).toBe('ready');
    expect((await fetch(`${opsUrl}/docs-json`)).status).toBe(200);
  });

  it('keeps liveness and the API on the public port', async () => {
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
    const me = await fetch(`${server.httpUrl}/me`);
    expect(me.status).toBe(401);
  });
});

describe('isOpsPath', () => {
  it('matches the ops routes as Express would route them, and nothing else', () => {
    for (const path of ['/metrics', '/METRICS', '/readyz//', '/docs', '/docs/swagger-ui.css', '/docs-json']) {
      expect(isOpsPath(path)).toBe(true);
    }
    for (const path of ['/healthz', '/metricsx', '/auth/login', '/rooms/docs', '/']) {
      expect(isOpsPath(path)).toBe(false);
    }
  });
});
