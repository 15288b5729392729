/** What the orchestrator hands a drain worker (as JSON in argv[2]) and what it gets back over IPC. */
export interface DrainArgs {
  readonly queue: 'local' | 'redis';
  readonly messages: number;
  readonly rooms: number;
  readonly bodyBytes: number;
  /** The scratch database (server URL with `/bench_<random>` as path). */
  readonly mysqlUrl: string;
  readonly redisUrl?: string;
  readonly redisKeyPrefix?: string;
  /** mariadbd's pid, to read its CPU from /proc (when it runs here). */
  readonly mariadbPid?: number;
  /** The app's DATA_DIR (nothing is written there by a drain, but the config needs one). */
  readonly dataDir: string;
  /** Longest the drain may take before the attempt fails. */
  readonly drainTimeoutMs: number;
}

export interface DrainReport {
  readonly batchSize: number;
  readonly fillS: number;
  readonly drainS: number;
  readonly written: number;
  readonly rejected: number;
  readonly storedRows: number;
  readonly distinctIds: number;
  readonly verifyProblem: string | null;
  /** Persister process CPU (user+system) during the drain, µs. */
  readonly persisterCpuUs: number;
  readonly mariadbCpuUs: number | null;
  readonly redisCpuUs: number | null;
  /** Machine-wide process CPU during the drain (without irq/softirq), µs. */
  readonly systemBusyUs: number;
  /** Warnings and errors the persister logged (store outages, rejections), first few. */
  readonly persisterLog: readonly string[];
}

export type DrainMessage =
  { readonly kind: 'result'; readonly report: DrainReport } | { readonly kind: 'error'; readonly message: string };

export function isDrainMessage(value: unknown): value is DrainMessage {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'result' || kind === 'error';
}
