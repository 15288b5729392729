import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sleep } from './bounded.js';
import { hotFunctions, type CpuProfile, type HotFunction, type ProfileWindow } from './cpu-profile.js';
import { freePort } from './free-port.js';
import { mergeEncodedHistograms, summarizeMicros } from './histogram.js';
import { log } from './log.js';
import { startLocalRedisCluster, type LocalRedisCluster } from './local-redis-cluster.js';
import { runDrainScenario } from './drain-runner.js';
import { compareBaselines, evaluateTargets, type ClientErrors, type ScenarioMetrics } from './metrics.js';
import { REPO_ROOT } from './paths.js';
import { QUIET_MAX_BUSY_CORES, waitForQuiet } from './quiet.js';
import { clockTicksPerSecond, readCpuTicksOf, readMemory, readSystemCpu } from './proc-reader.js';
import { cpuMicrosBetween } from './proc-stat.js';
import type { ScenarioResult } from './results-types.js';
import { BENCH_DESTINATION, effectiveShape } from './scenarios.js';
import type { ScenarioDef, ScenarioShape } from './scenario-types.js';
import { launchOf, type ServerBuild } from './server-build.js';
import { ServerInstance } from './server-process.js';
import { ExternalServer } from './external-server.js';
import { runStartupScenario } from './startup-runner.js';
import { clientUrl, SYSTEMS, WEBSTOMP_LOGIN } from './systems.js';
import { descriptorShortage, type BenchWebStomp } from './webstomp.js';
import { benchServerEnv } from './server-env.js';
import { resolveRabbitUrl, type BenchMariaDb, type BenchRedis } from './services.js';
import { readShardTicks, shardFigures, type ShardFigures } from './shard-cpu.js';
import { offsets, splitEvenly } from './split.js';
import { WorkerClient } from './worker-client.js';
import type { ConnectArgs, ConnectResult, WindowReport } from './worker-protocol.js';

export interface RunnerOptions {
  readonly quick: boolean;
  readonly workers: number;
  readonly cpuProfile: boolean;
  /** Extra node flags for the service's own processes (see --server-node-flag). */
  readonly serverNodeFlags: readonly string[];
  /** Logs, data dirs and profiles for this run (outside the repository). */
  readonly tmpDir: string;
  /** The server code every scenario of the run starts (a snapshot of dist/app). */
  readonly serverBuild: ServerBuild;
  /** How long to wait for other processes to go quiet before each scenario (0 = don't wait). */
  readonly quietTimeoutMs: number;
  /** Set when a selected scenario needs Redis (it may still be unavailable). */
  readonly redis?: BenchRedis;
  /** Set when a selected scenario needs MariaDB. */
  readonly mariadb?: BenchMariaDb;
  /** Set when a selected scenario measures RabbitMQ Web-STOMP. */
  readonly webStomp?: BenchWebStomp;
}

const CONNECT_TIMEOUT_MS = 10_000;
const CONNECT_CONCURRENCY = 100;
const SERVER_READY_TIMEOUT_MS = 30_000;
const SERVER_STOP_GRACE_MS = 10_000;
const COMMAND_TIMEOUT_MS = 15_000;
const PUBLISH_TICK_MS = 2;

/** Runs one scenario end to end; never throws — failures become a 'failed' result. */
export async function runScenario(def: ScenarioDef, options: RunnerOptions): Promise<ScenarioResult> {
  const shape = effectiveShape(def, options.quick);
  const base = {
    name: def.name,
    description: def.description,
    kind: def.kind,
    shape,
    bodyBytes: def.bodyBytes,
    servers: def.servers,
    backplane: def.backplane,
    receipts: def.receipts,
    system: SYSTEMS[def.server ?? 'app'].label,
    ...(def.load !== undefined ? { load: def.load } : {}),
  };
  const missing = def.requiresEnv.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    return { ...base, status: 'skipped', reason: `needs ${missing.join(', ')}`, targets: [], baselines: [], notes: [] };
  }
  const unavailable = unavailableService(def, options);
  if (unavailable !== undefined) {
    log(`${def.name}: skipped: ${unavailable}`);
    return { ...base, status: 'skipped', reason: unavailable, targets: [], baselines: [], notes: [] };
  }
  const shortage =
    def.server === 'webstomp' && options.webStomp
      ? descriptorShortage(options.webStomp.pid, shape.subscribers + shape.publishers)
      : undefined;
  if (shortage !== undefined) {
    log(`${def.name}: skipped: ${shortage}`);
    return { ...base, status: 'skipped', reason: shortage, targets: [], baselines: [], notes: [] };
  }
  if (def.kind === 'drain') return runDrainScenario(def, base, options);
  if (def.kind === 'startup') return runStartupScenario(def, base, options);

  const run = new ScenarioRun(def, shape, options);
  let result: ScenarioResult;
  try {
    const metrics = await run.execute();
    result = {
      ...base,
      status: 'ok',
      metrics,
      targets: evaluateTargets(metrics, def.targets),
      baselines: compareBaselines(metrics, def.baselines),
      notes: run.notes,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(`${def.name} failed: ${reason}`);
    result = { ...base, status: 'failed', reason, targets: [], baselines: [], notes: run.notes };
  } finally {
    await run.teardown();
  }
  // The profile is written when the server exits, so it can only be read after teardown.
  const hot = options.cpuProfile
    ? readHotFunctions(profileDir(run.dir, 0), options.serverBuild.root, run.profileWindow)
    : undefined;
  return hot ? { ...result, hotFunctions: hot } : result;
}

/** Why a service the scenario needs cannot be used ("no Redis at …"), or undefined when all are there. */
function unavailableService(def: ScenarioDef, options: RunnerOptions): string | undefined {
  const services = {
    redis: { name: 'Redis', availability: options.redis?.availability },
    mariadb: { name: 'MariaDB', availability: options.mariadb?.availability },
    webstomp: { name: 'RabbitMQ Web-STOMP', availability: options.webStomp?.availability },
  };
  for (const service of def.services) {
    const { name, availability } = services[service];
    if (availability === undefined) return `no ${name} (not probed)`;
    if (!availability.available) return availability.reason;
  }
  return undefined;
}

function profileDir(runDir: string, instance: number): string {
  return join(runDir, `server-${instance}-profile`);
}

function readHotFunctions(dir: string, buildRoot: string, window?: ProfileWindow): HotFunction[] | undefined {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
  } catch {
    return undefined;
  }
  if (files.length === 0) return undefined;
  const profile = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as CpuProfile;
  // Locations relative to the copied build (app code) or the repository (node_modules, via the link).
  const roots = [pathToFileURL(join(buildRoot, '/')).href, pathToFileURL(REPO_ROOT).href];
  const shorten = (url: string): string => {
    const root = roots.find((candidate) => url.startsWith(candidate));
    return root ? url.slice(root.length) : url;
  };
  return hotFunctions(profile, 15, shorten, window);
}

class ScenarioRun {
  readonly notes: string[] = [];
  /** The measurement window in µs since the first server started (its profile's time base, roughly). */
  profileWindow: ProfileWindow | undefined;
  private serversStartedMs = 0;
  /** Logs, data and profiles of this attempt; retries get their own. */
  readonly dir: string;
  private servers: (ServerInstance | ExternalServer)[] = [];
  private workers: WorkerClient[] = [];
  /** This attempt's Redis key prefix (Redis backplane only); its keys are deleted at teardown. */
  private readonly redisPrefix: string | undefined;
  /** The attempt's own Redis Cluster (ScenarioDef.redisCluster), stopped at teardown. */
  private cluster: LocalRedisCluster | undefined;

  constructor(
    private readonly def: ScenarioDef,
    private readonly shape: ScenarioShape,
    private readonly options: RunnerOptions,
  ) {
    this.dir = mkdtempSync(join(options.tmpDir, `${def.name}-`));
    // An own cluster holds nothing else: no prefix to clean up, and its CPU is read per process.
    this.redisPrefix =
      def.backplane !== 'local' && def.redisCluster === undefined ? options.redis?.attemptPrefix() : undefined;
  }

  async execute(): Promise<ScenarioMetrics> {
    const calm =
      this.options.quietTimeoutMs > 0
        ? await waitForQuiet(QUIET_MAX_BUSY_CORES, this.options.quietTimeoutMs)
        : undefined;
    if (calm?.quiet) log(`${this.def.name}: machine quiet (${calm.busy.toFixed(2)} cores busy)`);
    if (calm && !calm.quiet) {
      this.notes.push(
        `machine still busy (${calm.busy.toFixed(2)} cores used by other processes) when the scenario started`,
      );
    }
    this.serversStartedMs = performance.now();
    await this.startServers();
    await this.startWorkers();
    const pids = this.servers.map((server) => server.pid);
    // Let start-up work (module loading, JIT, first GC) finish before the baseline sample.
    await sleep(this.options.quick ? 1_000 : 2_000);
    const memBefore = this.totalRss(pids);

    const subscribers = await this.connectSubscribers();
    const publishers = await this.connectPublishers();
    if (subscribers.connected === 0 && this.shape.subscribers > 0) throw new Error('no subscriber could connect');
    if (publishers.connected === 0 && this.shape.publishers > 0) throw new Error('no publisher could connect');

    if (this.def.kind === 'fanout') await this.startPublishing();
    log(`${this.def.name}: ${this.def.kind === 'idle' ? 'settling' : 'warming up'} for ${this.shape.warmupS} s`);
    await sleep(this.shape.warmupS * 1_000);
    const memSettled = this.totalRss(pids);

    log(`${this.def.name}: measuring for ${this.shape.durationS} s`);
    this.assertServersRunning();
    const redisBefore = this.redisPrefix !== undefined ? await this.options.redis?.cpuMicros() : undefined;
    const shardsBefore = this.cluster ? readShardTicks(this.cluster) : undefined;
    const cpuBefore = readCpuTicksOf(pids);
    const systemBefore = readSystemCpu();
    const startedMs = performance.now();
    await this.all((worker) => worker.request('startWindow', {}, COMMAND_TIMEOUT_MS));
    await sleep(this.shape.durationS * 1_000);
    const reports = await this.all((worker) => worker.request('endWindow', {}, COMMAND_TIMEOUT_MS));
    this.assertServersRunning();
    const cpuAfter = readCpuTicksOf(pids);
    const shardsAfter = this.cluster ? readShardTicks(this.cluster) : undefined;
    const systemAfter = readSystemCpu();
    const wallMs = performance.now() - startedMs;
    const shards =
      this.cluster && shardsBefore && shardsAfter
        ? shardFigures(
            this.cluster.primaryPorts,
            shardsBefore,
            shardsAfter,
            reports.reduce((sum, report) => sum + report.sent, 0),
            wallMs,
            clockTicksPerSecond(),
          )
        : undefined;
    this.profileWindow = {
      fromUs: (startedMs - this.serversStartedMs) * 1000,
      toUs: (startedMs + wallMs - this.serversStartedMs) * 1000,
    };
    const redisAfter = redisBefore !== undefined ? await this.options.redis?.cpuMicros() : undefined;
    const memAfter = this.totalRss(pids);
    const peakKiB = Math.max(...pids.map((pid) => readMemory(pid).peak));
    await this.all((worker) => worker.request('stopPublishing', {}, COMMAND_TIMEOUT_MS));

    this.assertServersRunning();
    const errors = await this.collectErrors();
    const cpuUs = cpuMicrosBetween(cpuBefore, cpuAfter, clockTicksPerSecond());
    const ticksToUs = (ticks: number): number => (ticks * 1_000_000) / clockTicksPerSecond();
    // Process time only: interrupt time is mostly our own loopback traffic, charged to no process.
    const systemBusyUs = ticksToUs(
      systemAfter.busy - systemAfter.interrupt - (systemBefore.busy - systemBefore.interrupt),
    );
    return this.metrics({
      reports,
      wallMs,
      cpuUs,
      systemBusyUs,
      redisCpuUs:
        shards?.totalCpuUs ?? (redisBefore !== undefined && redisAfter !== undefined ? redisAfter - redisBefore : null),
      shards,
      subscribers,
      publishers,
      memBeforeKiB: memBefore,
      memSettledKiB: memSettled,
      memAfterKiB: memAfter,
      peakKiB,
      errors,
    });
  }

  async teardown(): Promise<void> {
    const workers = this.workers;
    const servers = this.servers;
    this.workers = [];
    this.servers = [];
    await Promise.allSettled(workers.map((worker) => worker.request('closeAll', { timeoutMs: 5_000 }, 10_000)));
    await Promise.allSettled(workers.map((worker) => worker.stop()));
    await Promise.allSettled(servers.map((server) => server.stop(SERVER_STOP_GRACE_MS)));
    await this.cluster?.dispose();
    this.cluster = undefined;
    if (this.redisPrefix !== undefined && this.options.redis) {
      try {
        const deleted = await this.options.redis.deleteKeys(this.redisPrefix);
        log(`${this.def.name}: deleted ${deleted} Redis keys under ${this.redisPrefix}`);
      } catch (error) {
        this.notes.push(
          `could not delete Redis keys under ${this.redisPrefix}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private metrics(input: {
    reports: WindowReport[];
    wallMs: number;
    cpuUs: number;
    systemBusyUs: number;
    redisCpuUs: number | null;
    shards: ShardFigures | undefined;
    subscribers: ConnectResult;
    publishers: ConnectResult;
    memBeforeKiB: number;
    memSettledKiB: number;
    memAfterKiB: number;
    peakKiB: number;
    errors: ClientErrors;
  }): ScenarioMetrics {
    const { reports } = input;
    const windowS = reports.reduce((sum, report) => sum + report.elapsedMs, 0) / reports.length / 1000;
    const sum = (pick: (report: WindowReport) => number): number =>
      reports.reduce((total, report) => total + pick(report), 0);
    const delivered = sum((report) => report.delivered);
    const sent = sum((report) => report.sent);
    const undecodable = sum((report) => report.undecodable);
    const lost = sum((report) => report.lost);
    if (undecodable > 0) this.notes.push(`${undecodable} deliveries had no readable send timestamp`);
    const fanout = this.def.kind === 'fanout';
    const subs = input.subscribers.connected;
    const idle = !fanout && subs > 0;
    const kiBPerConnectionAfterSettle = idle ? (input.memSettledKiB - input.memBeforeKiB) / subs : null;
    if (kiBPerConnectionAfterSettle !== null) {
      this.notes.push(
        `RSS per connection ${this.shape.warmupS} s after connecting, with the young generation the connection burst grew (V8's memory reducer usually gives it back later): ${kiBPerConnectionAfterSettle.toFixed(2)} KiB`,
      );
    }
    const latency = summarizeMicros(mergeEncodedHistograms(reports.map((report) => report.latencyHistogram)));
    const receiptLatency = summarizeMicros(mergeEncodedHistograms(reports.map((report) => report.receiptHistogram)));
    const mib = (kib: number): number => kib / 1024;
    const percentOfCore = (us: number): number => (us / (input.wallMs * 1000)) * 100;
    return {
      windowS,
      connectedSubscribers: subs,
      connectedPublishers: input.publishers.connected,
      sentPerSec: fanout ? sent / windowS : null,
      deliveredPerSec: fanout ? delivered / windowS : null,
      // Spread over rooms, a message reaches its room's share of the subscribers.
      expectedDeliveredPerSec: fanout ? (sent * subs) / (this.def.rooms ?? 1) / windowS : null,
      deliveryRatio: fanout && delivered + lost > 0 ? delivered / (delivered + lost) : null,
      lostMessages: fanout ? lost : null,
      reorderedMessages: fanout ? sum((report) => report.reordered) : null,
      latencyMs: latency,
      receiptsPerSec: this.def.receipts ? sum((report) => report.receipts) / windowS : null,
      receiptRatio: this.def.receipts && sent > 0 ? sum((report) => report.receipts) / sent : null,
      receiptLatencyMs: this.def.receipts ? receiptLatency : null,
      publisherMaxLagMs: fanout ? Math.max(...reports.map((report) => report.publisherMaxLagMs)) : null,
      cpuUsPerDelivery: fanout && delivered > 0 ? input.cpuUs / delivered : null,
      serverCpuPercent: percentOfCore(input.cpuUs),
      clientCpuPercentMax: Math.max(...reports.map((report) => percentOfCore(report.cpuUs))),
      // Redis works for the servers here: its CPU is reported on its own, not as disturbance.
      otherCpuPercent: Math.max(
        0,
        percentOfCore(input.systemBusyUs - input.cpuUs - sum((report) => report.cpuUs) - (input.redisCpuUs ?? 0)),
      ),
      redisCpuPercent: input.redisCpuUs === null ? null : percentOfCore(input.redisCpuUs),
      redisCpuUsPerDelivery: input.redisCpuUs !== null && fanout && delivered > 0 ? input.redisCpuUs / delivered : null,
      redisShards: input.shards?.shards ?? null,
      redisCpuUsPerMessage: input.shards?.cpuUsPerMessage ?? null,
      redisBusiestShardCpuUsPerMessage: input.shards?.busiestShardCpuUsPerMessage ?? null,
      // Taken at the end of the idle window (settle + window after connecting): steady state,
      // after V8 has had time to collect the garbage of the handshakes. The early figure is kept
      // in the JSON and the notes to show how much that matters.
      rssKiBPerIdleConnection: idle ? (input.memAfterKiB - input.memBeforeKiB) / subs : null,
      rssKiBPerIdleConnectionAfterSettle: kiBPerConnectionAfterSettle,
      serverRssBeforeMiB: mib(input.memBeforeKiB),
      serverRssAfterMiB: mib(input.memAfterKiB),
      serverRssPeakMiB: mib(input.peakKiB),
      errors: input.errors,
    };
  }

  private async startServers(): Promise<void> {
    const system = SYSTEMS[this.def.server ?? 'app'];
    if (system.external) {
      const webStomp = this.options.webStomp;
      if (webStomp === undefined) throw new Error('RabbitMQ Web-STOMP was not probed for this run');
      this.notes.push(
        "server CPU and RSS are the RabbitMQ node's (beam.smp): anything else using that broker meanwhile counts too",
      );
      this.servers.push(new ExternalServer(webStomp.pid, Number(new URL(webStomp.url).port), 'RabbitMQ node'));
      return;
    }
    const launch = launchOf(this.options.serverBuild, system.benchScript, this.options.serverNodeFlags);
    const nodeArgsFor = (instance: number): string[] => {
      if (!this.options.cpuProfile) return launch.nodeArgs;
      const dir = profileDir(this.dir, instance);
      mkdirSync(dir, { recursive: true });
      return [...launch.nodeArgs, '--cpu-prof', `--cpu-prof-dir=${dir}`];
    };
    const redis = await this.serverRedis();
    for (let instance = 0; instance < this.def.servers; instance++) {
      const port = await freePort();
      const dataDir = join(this.dir, `server-${instance}-data`);
      mkdirSync(dataDir, { recursive: true });
      const env = benchServerEnv({
        port,
        backplane: this.def.backplane,
        dataDir,
        redis,
        rabbitmqUrl: this.def.backplane === 'rabbitmq' ? resolveRabbitUrl(process.env) : undefined,
      });
      const logPath = join(this.dir, `server-${instance}.log`);
      log(`${this.def.name}: starting server ${instance} on 127.0.0.1:${port} (log ${logPath})`);
      this.servers.push(
        await ServerInstance.start({
          build: this.options.serverBuild,
          entry: launch.entry,
          port,
          env,
          logPath,
          nodeArgs: nodeArgsFor(instance),
          readyTimeoutMs: SERVER_READY_TIMEOUT_MS,
        }),
      );
    }
  }

  /** Where the servers' Redis is: the shared one under this attempt's prefix, or the attempt's own cluster. */
  private async serverRedis(): Promise<{ url: string; keyPrefix: string; clusterNodes?: string } | undefined> {
    const primaries = this.def.redisCluster?.primaries;
    if (primaries !== undefined) {
      log(`${this.def.name}: starting a Redis Cluster of ${primaries} primar${primaries === 1 ? 'y' : 'ies'}`);
      this.cluster = await startLocalRedisCluster({ primaries, replicasPerPrimary: 0, name: 'bench-redis-cluster' });
      const seed = this.cluster.primaryPorts[0]!;
      return { url: `redis://127.0.0.1:${seed}`, keyPrefix: 'bench:', clusterNodes: this.cluster.nodes };
    }
    if (this.redisPrefix === undefined || this.options.redis === undefined) return undefined;
    return { url: this.options.redis.url, keyPrefix: this.redisPrefix };
  }

  private async startWorkers(): Promise<void> {
    const count = Math.max(1, this.options.workers);
    this.workers = await Promise.all(
      Array.from({ length: count }, (_, i) => WorkerClient.start(`${this.def.name}-w${i}`, 10_000)),
    );
  }

  private get urls(): string[] {
    const kind = this.def.server ?? 'app';
    if (SYSTEMS[kind].external) return [this.options.webStomp!.url];
    return this.servers.map((server) => clientUrl(kind, server.port));
  }

  /**
   * Probes with one subscriber whether the server answers a SUBSCRIBE receipt; if it does,
   * every subscription is confirmed before measuring, otherwise a settle pause stands in.
   */
  private async connectSubscribers(): Promise<ConnectResult> {
    const total = this.shape.subscribers;
    if (total === 0) return { connected: 0, failed: 0, unconfirmed: 0 };
    log(`${this.def.name}: connecting ${total} subscribers`);
    const probe = await this.workers[0]!.request(
      'connectSubscribers',
      { ...this.connectArgs(0, 1), ...this.destination, confirm: true },
      CONNECT_TIMEOUT_MS * 3,
    );
    const confirm = probe.connected === 1 && probe.unconfirmed === 0;
    if (probe.connected === 1 && !confirm) {
      this.notes.push('server sent no RECEIPT for SUBSCRIBE; subscriptions were not individually confirmed');
    }
    const counts = splitEvenly(total - 1, this.workers.length);
    const starts = offsets(counts).map((start) => start + 1);
    const results = await this.all((worker, i) =>
      worker.request(
        'connectSubscribers',
        { ...this.connectArgs(starts[i]!, counts[i]!), ...this.destination, confirm },
        this.connectBudgetMs(counts[i]!),
      ),
    );
    const merged = [probe, ...results].reduce(addConnectResults);
    if (!confirm) await sleep(1_000);
    log(`${this.def.name}: ${merged.connected} subscribers connected, ${merged.failed} failed`);
    return merged;
  }

  private async connectPublishers(): Promise<ConnectResult> {
    const total = this.shape.publishers;
    if (total === 0) return { connected: 0, failed: 0, unconfirmed: 0 };
    const counts = splitEvenly(total, this.workers.length);
    const starts = offsets(counts);
    const results = await this.all((worker, i) =>
      counts[i] === 0
        ? Promise.resolve({ connected: 0, failed: 0, unconfirmed: 0 })
        : worker.request(
            'connectPublishers',
            this.connectArgs(starts[i]!, counts[i]!),
            this.connectBudgetMs(counts[i]!),
          ),
    );
    return results.reduce(addConnectResults);
  }

  private async startPublishing(): Promise<void> {
    const counts = splitEvenly(this.shape.publishers, this.workers.length);
    await this.all((worker, i) =>
      counts[i] === 0
        ? Promise.resolve(null)
        : worker.request(
            'startPublishing',
            {
              // Each worker carries the share of the total rate that its publishers represent.
              ratePerSec: (this.shape.ratePerSec * counts[i]!) / this.shape.publishers,
              ...this.destination,
              bodyBytes: this.def.bodyBytes,
              receipts: this.def.receipts,
              tickMs: PUBLISH_TICK_MS,
            },
            COMMAND_TIMEOUT_MS,
          ),
    );
  }

  /** The topic the load uses, spread over the scenario's rooms when it has them. */
  private get destination(): { destination: string; rooms?: number } {
    return this.def.rooms === undefined
      ? { destination: BENCH_DESTINATION }
      : { destination: BENCH_DESTINATION, rooms: this.def.rooms };
  }

  private connectArgs(firstIndex: number, count: number): ConnectArgs {
    const kind = this.def.server ?? 'app';
    return {
      urls: this.urls,
      firstIndex,
      count,
      concurrency: CONNECT_CONCURRENCY,
      timeoutMs: CONNECT_TIMEOUT_MS,
      protocol: SYSTEMS[kind].protocol,
      ...(kind === 'webstomp' ? { sharedLogin: WEBSTOMP_LOGIN } : {}),
    };
  }

  /** Worst case for a batch: every round of `concurrency` connections hits the timeout twice. */
  private connectBudgetMs(count: number): number {
    return 30_000 + Math.ceil(count / CONNECT_CONCURRENCY) * CONNECT_TIMEOUT_MS * 2;
  }

  private all<T>(task: (worker: WorkerClient, index: number) => Promise<T>): Promise<T[]> {
    return Promise.all(this.workers.map(task));
  }

  private totalRss(pids: readonly number[]): number {
    this.assertServersRunning();
    return pids.reduce((sum, pid) => sum + readMemory(pid).rss, 0);
  }

  /** A dead server makes every /proc read fail; say that instead of ENOENT. */
  private assertServersRunning(): void {
    for (const server of this.servers) {
      if (!server.running) {
        throw new Error(`server on port ${server.port} ${server.exitDescription}; log tail:\n${server.logTail()}`);
      }
    }
  }

  private async collectErrors(): Promise<ClientErrors> {
    const reports = await this.all((worker) => worker.request('errors', {}, COMMAND_TIMEOUT_MS));
    return {
      connectFailures: reports.reduce((sum, report) => sum + report.connectFailures, 0),
      unconfirmedSubscriptions: reports.reduce((sum, report) => sum + report.unconfirmedSubscriptions, 0),
      errorFrames: reports.reduce((sum, report) => sum + report.errorFrames, 0),
      unexpectedCloses: reports.reduce((sum, report) => sum + report.unexpectedCloses, 0),
      samples: reports.flatMap((report) => report.samples).slice(0, 5),
    };
  }
}

function addConnectResults(a: ConnectResult, b: ConnectResult): ConnectResult {
  return {
    connected: a.connected + b.connected,
    failed: a.failed + b.failed,
    unconfirmed: a.unconfirmed + b.unconfirmed,
  };
}
