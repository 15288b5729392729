/**
 * CI smoke of the load test, end to end against the real service (embedded default: SQLite,
 * in-process backplane, real JWT login): seed users and rooms over REST, bundle the
 * processor, run the smoke scenario with the repository's Artillery (real @stomp/stompjs
 * clients over WebSocket), and write the report with its charts. Bounded to seconds: six
 * virtual users, three seconds of sending.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '../../infra/config/repo-root.js';
import { bundleProcessor } from '../../loadtest/cli/bundle-processor.js';
import { SCENARIOS } from '../../loadtest/cli/catalog.js';
import { runArtillery } from '../../loadtest/cli/run-artillery.js';
import { seed } from '../../loadtest/cli/seed.js';
import { METRIC, Metrics } from '../../loadtest/processor/metrics.js';
import { SessionTokens } from '../../loadtest/processor/session-tokens.js';
import { StompLink } from '../../loadtest/processor/stomp-link.js';
import { parseResults } from '../../loadtest/report/artillery-results.js';
import { writeReport } from '../../loadtest/report/write-report.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

const repoRoot = findRepoRoot(import.meta.url);
const scenarioFile = join(repoRoot, 'loadtest', 'scenarios', SCENARIOS.smoke.file);
const usersFile = join(repoRoot, 'loadtest', '.data', 'smoke.csv');
const plan = { prefix: `smk${process.pid}`, users: 6, roomSize: 3, password: 'loadtest-password-1' };

let server: RunningApp;
let workDir: string;

beforeAll(async () => {
  server = await startTestApp();
  workDir = mkdtempSync(join(tmpdir(), 'loadtest-smoke-'));
  await bundleProcessor(repoRoot);
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('load test smoke', () => {
  it('seeds idempotently: a second run without its checkpoint finds the same users and rooms', async () => {
    const options = { target: server.httpUrl, plan, usersFile, concurrency: 4 };
    await seed(options);
    const first = readFileSync(usersFile, 'utf8');
    rmSync(`${usersFile}.state.json`);
    await seed(options);
    expect(readFileSync(usersFile, 'utf8')).toBe(first);
    const rows = first.trim().split('\n').slice(1);
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((row) => row.split(',')[2])).size).toBe(2);
  }, 60_000);

  it("refreshes a virtual user's tokens as a client does and renews its live session in-band", async () => {
    const counted: string[] = [];
    const metrics = new Metrics({ emit: (_kind: string, name: string) => void counted.push(name) });
    const tokens = new SessionTokens(
      server.httpUrl,
      () => counted.push('refreshed'),
      (error) => {
        throw error;
      },
    );
    await tokens.login(`${plan.prefix}-u0`, plan.password);
    const link = await StompLink.open({
      wsUrl: server.wsUrl,
      token: tokens.accessToken,
      metrics,
      timeoutMs: 5_000,
      heartbeatMs: 0,
    });
    const before = tokens.accessToken;
    tokens.onRenew((token) => link.renew(token));
    await tokens.refresh();
    tokens.stop();
    expect(tokens.accessToken).not.toBe(before);
    expect(counted).toContain('refreshed');
    // The session survived the renewal: a SEND to the user's room is still receipted.
    const roomId = readFileSync(usersFile, 'utf8').split('\n')[1]!.split(',')[2]!;
    await expect(link.send(`/app/rooms.${roomId}`, '{"t":0,"n":0}')).resolves.toBeGreaterThanOrEqual(0);
    await link.close();
    expect(counted.filter((name) => name.startsWith(METRIC.errorPrefix))).toEqual([]);
  }, 30_000);

  it('runs the smoke scenario with every gate passing and writes the report with charts', async () => {
    const resultsFile = join(workDir, 'results.json');
    const outcome = await runArtillery({ repoRoot, scenarioFile, target: server.httpUrl, resultsFile, quiet: true });
    expect(outcome.checks.length).toBeGreaterThanOrEqual(4);
    expect(outcome.checks.filter((c) => !c.passed)).toEqual([]);
    expect(outcome.exitCode).toBe(0);

    const { counters } = parseResults(readFileSync(resultsFile, 'utf8')).aggregate;
    expect(counters['vusers.completed']).toBe(6);
    expect(counters['stomp.receipts']).toBe(counters['stomp.sent']);
    expect(counters['stomp.delivered']).toBeGreaterThan(0);
    expect(counters['stomp.delivered']).toBe(counters['stomp.expected']);
    expect(counters['stomp.gaps']).toBe(0);

    const report = await writeReport(resultsFile, workDir, {
      scenario: 'smoke',
      target: server.httpUrl,
      startedAt: new Date().toISOString(),
      exitCode: outcome.exitCode,
      checks: outcome.checks,
    });
    const markdown = readFileSync(report, 'utf8');
    expect(markdown).toContain('Result: **PASS**');
    expect(markdown).toContain('- ok: `stomp.gaps == 0`');
    for (const chart of ['receipt-latency', 'delivery-latency', 'sessions', 'throughput', 'errors']) {
      expect(markdown).toContain(`charts/${chart}.svg`);
      expect(readFileSync(join(workDir, 'charts', `${chart}.svg`), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>$/);
    }
  }, 90_000);

  it('exits non-zero when a gate fails, which is what stops a promotion', async () => {
    const resultsFile = join(workDir, 'failing.json');
    const outcome = await runArtillery({
      repoRoot,
      scenarioFile,
      target: server.httpUrl,
      resultsFile,
      quiet: true,
      variables: JSON.stringify({ sendSeconds: 1, warmupSeconds: 1, drainSeconds: 0 }),
      // No receipt comes back in under 0 ms.
      overrides: JSON.stringify({ config: { ensure: { thresholds: [{ 'stomp.receipt_latency.p99': 0 }] } } }),
    });
    expect(existsSync(resultsFile)).toBe(true);
    expect(outcome.checks).toContainEqual({ passed: false, check: 'stomp.receipt_latency.p99 < 0' });
    expect(outcome.exitCode).toBe(1);
  }, 90_000);
});
