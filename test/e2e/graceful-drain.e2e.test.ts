import { afterAll, describe, expect, it } from '@jest/globals';
import type { Client, IFrame } from '@stomp/stompjs';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectStomp, Inbox } from '../support/stomp-client.js';

/** A local HTTP server standing in for an AWS endpoint; counts requests per path prefix. */
async function fakeEndpoint(answer: (path: string) => { type: string; body: string }): Promise<{
  server: Server;
  url: string;
  calls: string[];
}> {
  const calls: string[] = [];
  const server = createServer((request, response) => {
    calls.push(request.url ?? '/');
    request.resume();
    request.on('end', () => {
      const { type, body } = answer(request.url ?? '/');
      response.writeHead(200, { 'content-type': type }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}

const DRAINING = `<DescribeTargetHealthResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
<DescribeTargetHealthResult><TargetHealthDescriptions><member>
<Target><Id>10.0.0.9</Id><Port>8080</Port></Target><TargetHealth><State>draining</State></TargetHealth>
</member></TargetHealthDescriptions></DescribeTargetHealthResult>
<ResponseMetadata><RequestId>e2e</RequestId></ResponseMetadata></DescribeTargetHealthResponse>`;

const MAIN = 'dist/app/src/main.js';
const DRAIN_MS = 3_000;
const CLIENTS = 200;

/** Starts the compiled service as its own process and resolves with its port once it listens. */
async function startServerProcess(
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env['PATH'],
      NODE_ENV: 'development',
      AUTH_DEV_ACCEPT_ANY: 'true',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
      DATA_DIR: `${process.env['TMPDIR'] ?? '/tmp'}/stomp-drain-${process.pid}`,
      STOMP_MAX_CONNECTIONS_PER_USER: '1000',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      if (entry.msg === 'listening' && entry.port !== undefined) resolve(entry.port);
    });
  });
  return { child, port };
}

describe('graceful drain on SIGTERM (compiled server process)', () => {
  let child: ChildProcess | undefined;

  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  it('tells every client to reconnect, loses no accepted message, and exits 0 within the window', async () => {
    // `npm test` builds first; run `npm run build` before running this file alone.
    expect(existsSync(MAIN)).toBe(true);
    const started = await startServerProcess();
    child = started.child;
    const wsUrl = `ws://127.0.0.1:${started.port}/ws`;

    const clients: Client[] = [];
    const inboxes: Inbox[] = [];
    const errors: IFrame[] = [];
    const closeCodes: number[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const client = await connectStomp(wsUrl, { login: `user-${i % 10}` });
      client.onStompError = (frame) => errors.push(frame);
      client.onWebSocketClose = (event: { code: number }) => closeCodes.push(event.code);
      const inbox = new Inbox();
      client.subscribe('/topic/drain', inbox.push);
      clients.push(client);
      inboxes.push(inbox);
    }

    // Every message below is accepted (RECEIPT) before SIGTERM; every subscriber must get it.
    const publisher = clients[0]!;
    const receipts: Array<Promise<void>> = [];
    for (let n = 0; n < 20; n++) {
      receipts.push(new Promise((resolve) => publisher.watchForReceipt(`r${n}`, () => resolve())));
      publisher.publish({ destination: '/topic/drain', body: `m${n}`, headers: { receipt: `r${n}` } });
    }
    await Promise.all(receipts);
    await Promise.all(inboxes.map((inbox) => inbox.waitFor(20)));

    const readyBefore = await fetch(`http://127.0.0.1:${started.port}/readyz`);
    expect(readyBefore.status).toBe(200);

    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    // Readiness flips at once, while sessions are still being closed.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const readyDuring = await fetch(`http://127.0.0.1:${started.port}/readyz`);
    expect(readyDuring.status).toBe(503);

    const [exitCode] = (await once(child, 'exit')) as [number | null];
    expect(exitCode).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(DRAIN_MS + 5_000);

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(errors).toHaveLength(CLIENTS);
    for (const frame of errors) {
      expect(frame.headers['code']).toBe('SERVER_DRAINING');
      expect(Number(frame.headers['x-reconnect-after-ms'])).toBeGreaterThanOrEqual(500);
    }
    expect(closeCodes.filter((code) => code === 1012)).toHaveLength(CLIENTS);
    for (const inbox of inboxes)
      expect(inbox.messages.map((m) => m.body)).toEqual(inbox.messages.map((_, n) => `m${n}`));
    await Promise.all(clients.map((client) => client.deactivate()));
  }, 60_000);

  it('drains on deregistration before any SIGTERM, without calling the ELB API while health checks arrive', async () => {
    const elb = await fakeEndpoint(() => ({ type: 'text/xml', body: DRAINING }));
    const metadata = await fakeEndpoint(() => ({
      type: 'application/json',
      body: JSON.stringify({ Networks: [{ IPv4Addresses: ['10.0.0.9'] }] }),
    }));
    try {
      const started = await startServerProcess({
        DRAIN_ON_DEREGISTRATION: 'true',
        TARGET_GROUP_ARN: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/chat/e2e',
        ECS_CONTAINER_METADATA_URI_V4: `${metadata.url}/v4/task-e2e`,
        DRAIN_POLL_INTERVAL_MS: '1000',
        DRAIN_HEALTH_CHECK_SILENCE_MS: '2500',
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'e2e',
        AWS_SECRET_ACCESS_KEY: 'e2e',
        AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: elb.url,
      });
      child = started.child;
      const client = await connectStomp(`ws://127.0.0.1:${started.port}/ws`, { login: 'user-0' });
      const errors: IFrame[] = [];
      client.onStompError = (frame) => errors.push(frame);

      // The load balancer health-checks the task: 6 s of life in service, checked every 500 ms.
      const healthz = () =>
        fetch(`http://127.0.0.1:${started.port}/healthz`, { headers: { 'user-agent': 'ELB-HealthChecker/2.0' } });
      for (let i = 0; i < 12; i++) {
        expect((await healthz()).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      // The standing poll this replaces would have made ~6 calls by now (one per second here).
      expect(elb.calls).toHaveLength(0);

      // Deregistered: the checks stop. The task asks the ELB API, learns `draining` and drains itself.
      const deregisteredAt = Date.now();
      const deadline = deregisteredAt + 15_000;
      while (errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(errors.map((frame) => frame.headers['code'])).toEqual(['SERVER_DRAINING']);
      expect(child.exitCode).toBeNull(); // no SIGTERM was sent; the process is still up
      expect(elb.calls.length).toBeGreaterThanOrEqual(1);
      expect(elb.calls.length).toBeLessThanOrEqual(3);
      expect(Date.now() - deregisteredAt).toBeLessThan(15_000);

      child.kill('SIGTERM');
      const [exitCode] = (await once(child, 'exit')) as [number | null];
      expect(exitCode).toBe(0);
      await client.deactivate();
    } finally {
      elb.server.close();
      metadata.server.close();
    }
  }, 60_000);
});
