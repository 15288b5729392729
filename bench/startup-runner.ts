/**
 * `startup` scenarios: start one server process in a configuration, and report how long it took
 * to answer /healthz (listening) and what it holds (RSS) before the first connection. The
 * embedded one also measures, module by module, what importing the service's dependencies costs.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './bounded.js';
import { freePort } from './free-port.js';
import { log } from './log.js';
import { IDLE_SAMPLE_S, startupMetricValue, type StartupMetrics } from './metrics.js';
import { failedResult, measuredResult, type ScenarioBase } from './scenario-outcome.js';
import { measureModuleCosts, probePaths, type ModuleCost } from './module-costs.js';
import { readMemory } from './proc-reader.js';
import type { ScenarioResult } from './results-types.js';
import type { RunnerOptions } from './scenario-runner.js';
import type { ScenarioDef } from './scenario-types.js';
import { benchServerEnv } from './server-env.js';
import { launchOf } from './server-build.js';
import { ServerInstance } from './server-process.js';
import { SYSTEMS } from './systems.js';

const READY_TIMEOUT_MS = 60_000;
/** The same settle pause the fan-out scenarios allow before their baseline sample. */
const SETTLE_MS = 2_000;

export async function runStartupScenario(
  def: ScenarioDef,
  base: ScenarioBase,
  options: RunnerOptions,
): Promise<ScenarioResult> {
  const notes: string[] = [];
  const dir = mkdtempSync(join(options.tmpDir, `${def.name}-`));
  const redisPrefix = def.backplane !== 'local' ? options.redis?.attemptPrefix() : undefined;
  let scratch: { name: string; url: string } | undefined;
  let server: ServerInstance | undefined;
  try {
    if (def.database === 'mysql') {
      if (!options.mariadb) throw new Error('MariaDB was not opened for this run');
      scratch = await options.mariadb.createScratch();
    }
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    const port = await freePort();
    const env = {
      ...benchServerEnv({
        port,
        backplane: def.backplane,
        dataDir,
        redis:
          redisPrefix !== undefined && options.redis ? { url: options.redis.url, keyPrefix: redisPrefix } : undefined,
      }),
      ...(scratch ? { DATABASE: 'mysql', MYSQL_URL: scratch.url } : {}),
    };
    const { entry, nodeArgs } = launchOf(
      options.serverBuild,
      SYSTEMS[def.server ?? 'app'].benchScript,
      options.serverNodeFlags,
    );
    log(`${def.name}: starting ${entry}`);
    const spawnedAt = performance.now();
    server = await ServerInstance.start({
      build: options.serverBuild,
      entry,
      port,
      env,
      logPath: join(dir, 'server.log'),
      nodeArgs,
      readyTimeoutMs: READY_TIMEOUT_MS,
    });
    const readyMs = performance.now() - spawnedAt;
    await sleep(SETTLE_MS);
    const rssMiB = readMemory(server.pid).rss / 1024;
    await sleep(IDLE_SAMPLE_S * 1000 - SETTLE_MS);
    const idleRssMiB = readMemory(server.pid).rss / 1024;
    await server.stop(10_000);
    server = undefined;
    let modules: ModuleCost[] | undefined;
    if (def.probeModules) {
      log(`${def.name}: measuring module import costs, one fresh process each`);
      const { probeEntry, appModulePath } = probePaths(options.serverBuild.root);
      modules = await measureModuleCosts(options.serverBuild.root, probeEntry, appModulePath);
    }
    const startup: StartupMetrics = { readyMs, rssMiB, idleRssMiB, ...(modules ? { modules } : {}) };
    return measuredResult(def, base, { startup }, (name) => startupMetricValue(startup, name), notes);
  } catch (error) {
    return failedResult(def, base, error, notes);
  } finally {
    await server?.stop(5_000);
    if (scratch && options.mariadb) await options.mariadb.dropScratch(scratch.name).catch(() => undefined);
    if (redisPrefix !== undefined && options.redis) await options.redis.deleteKeys(redisPrefix).catch(() => 0);
  }
}
