/** A dependency the instance needs to serve: checked by GET /readyz, never by /healthz. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
  /**
   * Reported in the checks, but a failure does not make the instance unready: for dependencies
   * whose outage the instance rides out while still serving (the message store: delivery goes on
   * and the persister catches up later). Default false.
   */
  readonly advisory?: boolean;
}

/**
 * What GET /readyz says about one check. Only these fixed words: the report is an HTTP answer
 * (reachable by whoever reaches the port), so the error text, which can name hosts, users or
 * driver internals, goes to the log instead.
 */
export type CheckOutcome = 'ok' | 'failed' | 'timed out';

export interface ReadinessReport {
  readonly ready: boolean;
  readonly draining: boolean;
  readonly checks: Record<string, CheckOutcome>;
}

/** Told about every failed check, with the error the report leaves out. */
export type CheckFailureLog = (name: string, error: unknown) => void;

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Whether this instance should get new connections: false while draining, or while any
 * registered dependency check fails or hangs.
 */
export class Readiness {
  private readonly checks: ReadinessCheck[] = [];
  private drainingSince: number | undefined;

  constructor(private readonly logFailure: CheckFailureLog = () => {}) {}

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  markDraining(): void {
    this.drainingSince ??= Date.now();
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  async report(): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.checks.map(async (check) => [check, await runCheck(check, this.logFailure)] as const),
    );
    const checks = Object.fromEntries(results.map(([check, result]) => [check.name, result]));
    const ready = !this.draining && results.every(([check, result]) => result === 'ok' || check.advisory === true);
    return { ready, draining: this.draining, checks };
  }
}

async function runCheck(check: ReadinessCheck, logFailure: CheckFailureLog): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      logFailure(check.name, new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`));
      resolve('timed out');
    }, CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.check().then((): CheckOutcome => 'ok'), timeout]);
  } catch (error) {
    logFailure(check.name, error);
    return 'failed';
  } finally {
    clearTimeout(timer);
  }
}
