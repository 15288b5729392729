import { setFlagsFromString } from 'node:v8';

/** V8's own interrupt budget (`node --v8-options` lists it; the unit test checks it is still the default). */
export const V8_DEFAULT_INTERRUPT_BUDGET = 67_584;

/**
 * The service's: a quarter of V8's, so a function is considered for optimization after a quarter
 * of the interpreted work.
 *
 * Why: a chat server runs each message's code (parse, authorize, route, publish, fan out, persist)
 * a few hundred times a second, not millions, so with V8's budget much of it runs interpreted for
 * a long time; the per-message share of CPU, not the per-delivery loop, is what keeps the service
 * above the bare fan-out floor at chat loads. Measured in docs/benchmarks.md ("On the hot path").
 *
 * Set once the service listens, not at start: set before the modules loaded, it had V8 optimize
 * start-up code that runs once (module bodies, Nest's wiring), which held 7–8 MiB more RSS before
 * the first connection (startup-embedded 96.1 against 88.3–89.0 MiB at 2 s).
 */
export const SERVICE_INTERRUPT_BUDGET = 16_384;

const FLAG = '--interrupt-budget';

/**
 * Sets the service's interrupt budget, unless one was given on node's command line (which then
 * wins: the benchmark compares budgets that way). V8 reads the budget each time it refills a
 * function's, so setting it while running takes effect for the code that runs afterwards.
 */
export function tierUpSooner(execArgv: readonly string[] = process.execArgv): void {
  const given = execArgv.map((flag) => flag.replace(/_/g, '-'));
  if (given.some((flag) => flag === FLAG || flag.startsWith(`${FLAG}=`))) return;
  setFlagsFromString(`${FLAG}=${SERVICE_INTERRUPT_BUDGET}`);
}
