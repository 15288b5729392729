/**
 * Runs a `drain` scenario: a scratch MariaDB database (and, for the Redis queue, a fresh key
 * prefix), a drain worker process that fills the persist queue and times the real persister
 * emptying it, then the database dropped and the keys deleted whatever happened.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild, track } from './children.js';
import { drainMetricsFrom } from './drain-check.js';
import { isDrainMessage, type DrainArgs, type DrainReport } from './drain-protocol.js';
import { log } from './log.js';
import { drainMetricValue } from './metrics.js';
import { failedResult, measuredResult, type ScenarioBase } from './scenario-outcome.js';
import { QUIET_MAX_BUSY_CORES, waitForQuiet } from './quiet.js';
import type { ScenarioResult } from './results-types.js';
import type { RunnerOptions } from './scenario-runner.js';
import { drainMessages } from './scenarios.js';
import type { ScenarioDef } from './scenario-types.js';

/** Longest the persister may take to empty the queue (≥ 10,000/s would need a few seconds). */
const DRAIN_TIMEOUT_MS = 120_000;
/** The whole worker: start, migrations, filling, draining, verifying. */
const WORKER_TIMEOUT_MS = 300_000;

export async function runDrainScenario(
  def: ScenarioDef,
  base: ScenarioBase,
  options: RunnerOptions,
): Promise<ScenarioResult> {
  const spec = def.drain;
  const mariadb = options.mariadb;
  if (!spec || !mariadb) {
    return {
      ...base,
      status: 'failed',
      reason: 'drain scenario without a drain spec or MariaDB',
      targets: [],
      baselines: [],
      notes: [],
    };
  }
  const notes: string[] = [];
  const calm =
    options.quietTimeoutMs > 0 ? await waitForQuiet(QUIET_MAX_BUSY_CORES, options.quietTimeoutMs) : undefined;
  if (calm?.quiet) log(`${def.name}: machine quiet (${calm.busy.toFixed(2)} cores busy)`);
  if (calm && !calm.quiet) {
    notes.push(`machine still busy (${calm.busy.toFixed(2)} cores used by other processes) when the scenario started`);
  }
  const messages = drainMessages(def, options.quick);
  const redisPrefix = spec.queue === 'redis' ? options.redis?.attemptPrefix() : undefined;
  let scratch: { name: string; url: string } | undefined;
  try {
    scratch = await mariadb.createScratch();
    log(`${def.name}: scratch database ${scratch.name}${redisPrefix ? `, Redis key prefix ${redisPrefix}` : ''}`);
    if (mariadb.pid === undefined) notes.push("MariaDB's process is not visible here: its CPU counts as other CPU");
    const args: DrainArgs = {
      queue: spec.queue,
      messages,
      rooms: spec.rooms,
      bodyBytes: spec.bodyBytes,
      mysqlUrl: scratch.url,
      ...(redisPrefix !== undefined && options.redis
        ? { redisUrl: options.redis.url, redisKeyPrefix: redisPrefix }
        : {}),
      ...(mariadb.pid !== undefined ? { mariadbPid: mariadb.pid } : {}),
      dataDir: mkdtempSync(join(options.tmpDir, `${def.name}-`)),
      drainTimeoutMs: DRAIN_TIMEOUT_MS,
    };
    log(`${def.name}: queueing ${messages} room messages, then draining them with the persister`);
    const report = await runWorker(options.serverBuild.drainEntry, args, WORKER_TIMEOUT_MS);
    const drain = drainMetricsFrom(
      { queue: spec.queue, messages, rooms: spec.rooms, bodyBytes: spec.bodyBytes },
      report,
    );
    if (drain.verifyProblem !== null) notes.push(`not stored exactly once: ${drain.verifyProblem}`);
    for (const line of report.persisterLog) notes.push(`persister logged ${line}`);
    return measuredResult(def, base, { drain }, (name) => drainMetricValue(drain, name), notes);
  } catch (error) {
    return failedResult(def, base, error, notes);
  } finally {
    if (scratch) {
      await mariadb.dropScratch(scratch.name).catch((error: unknown) => {
        notes.push(`could not drop ${scratch!.name}: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    if (redisPrefix !== undefined && options.redis) {
      const deleted = await options.redis.deleteKeys(redisPrefix).catch(() => 0);
      log(`${def.name}: deleted ${deleted} Redis keys under ${redisPrefix}`);
    }
  }
}

/** Forks the drain worker and waits for its one report; the worker is killed on timeout. */
function runWorker(entry: string, args: DrainArgs, timeoutMs: number): Promise<DrainReport> {
  const child: ChildProcess = track(
    fork(entry, [JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: process.env }),
  );
  return new Promise<DrainReport>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer = setTimeout(() => {
      finish(() => reject(new Error(`drain worker gave no result within ${timeoutMs} ms`)));
      void stopChild(child, 3_000);
    }, timeoutMs);
    child.on('message', (message: unknown) => {
      if (!isDrainMessage(message)) return;
      if (message.kind === 'result') finish(() => resolve(message.report));
      else finish(() => reject(new Error(`drain worker: ${message.message.split('\n').slice(0, 3).join(' ')}`)));
    });
    child.once('exit', (code, signal) => {
      finish(() => reject(new Error(`drain worker exited (code ${code}, signal ${signal}) without a result`)));
    });
  });
}
