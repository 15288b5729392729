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

export interface ReadinessReport {
  readonly ready: boolean;
  readonly draining: boolean;
  readonly checks: Record<string, 'ok' | string>;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Whether this instance should get new connections: false while draining, or while any
 * registered dependency check fails or hangs.
 */
export class Readiness {
  private readonly checks: ReadinessCheck[] = [];
  private drainingSince: number | undefined;

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
    const results = await Promise.all(this.checks.map(async (check) => [check, await runCheck(check)] as const));
    const checks = Object.fromEntries(results.map(([check, result]) => [check.name, result]));
    const ready = !this.draining && results.every(([check, result]) => result === 'ok' || check.advisory === true);
    return { ready, draining: this.draining, checks };
  }
}

async function runCheck(check: ReadinessCheck): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`timed out after ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.check().then(() => 'ok'), timeout]);
  } catch (error) {
    return error instanceof Error ? error.message : 'failed';
  } finally {
    clearTimeout(timer);
  }
}
