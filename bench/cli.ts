import { parseArgs } from 'node:util';

export interface CliOptions {
  readonly scenarios: readonly string[];
  readonly quick: boolean;
  readonly workers: number;
  readonly cpuProfile: boolean;
  /** Extra node flags for the service's processes only (not the floor or the peers), e.g. V8 heap sizes. */
  readonly serverNodeFlags: readonly string[];
  /** Seconds to wait for other processes to go idle before each scenario. */
  readonly quietWaitS: number;
  /** Re-runs of a scenario whose window was disturbed by other processes. */
  readonly retries: number;
  /** Rounds over all selected scenarios, interleaved; figures are medians over them. */
  readonly repeat: number;
  readonly list: boolean;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]
  --scenario <name>   run only this scenario (repeatable, or comma-separated; 'all' = every scenario)
  --quick             short, reduced-size smoke run (results get a -quick suffix)
                      (only a full run of the default scenarios rewrites bench/results/latest.md)
  --workers <n>       load worker processes, 1 or 2 (default 2)
  --cpu-prof          run the server under node --cpu-prof and report its hottest functions
  --server-node-flag=<flag>
                      pass a node flag to the service's processes only, e.g. --max-semi-space-size=4
                      (repeatable; the floor and the peers run unchanged)
  --quiet-wait <s>    wait up to s seconds for other processes to go idle before each scenario
                      (default 90, or 5 with --quick; 0 = don't wait)
  --retries <n>       re-run a scenario up to n times when other processes disturbed it (default 1, 0 with --quick)
  --repeat <n>        run the selected scenarios n times, interleaved (all once, then all again, …);
                      figures are medians over the rounds with their spread (default 1)
  --list              print the scenario table and exit
  --help              this text`;

/** Parses argv (without node and script); throws with a readable message on bad input. */
export function parseCli(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      scenario: { type: 'string', multiple: true },
      quick: { type: 'boolean', default: false },
      workers: { type: 'string', default: '2' },
      'cpu-prof': { type: 'boolean', default: false },
      'server-node-flag': { type: 'string', multiple: true },
      'quiet-wait': { type: 'string' },
      retries: { type: 'string' },
      repeat: { type: 'string', default: '1' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const workers = Number(values.workers);
  // The machine has two cores and the server needs one; more workers would only contend.
  if (!Number.isInteger(workers) || workers < 1 || workers > 4) {
    throw new Error(`--workers must be an integer from 1 to 4, got '${values.workers}'`);
  }
  const quick = values.quick ?? false;
  const quietWaitS = Number(values['quiet-wait'] ?? (quick ? 5 : 90));
  if (!Number.isFinite(quietWaitS) || quietWaitS < 0 || quietWaitS > 3_600) {
    throw new Error(`--quiet-wait must be a number of seconds from 0 to 3600, got '${values['quiet-wait']}'`);
  }
  const retries = Number(values.retries ?? (quick ? 0 : 1));
  if (!Number.isInteger(retries) || retries < 0 || retries > 5) {
    throw new Error(`--retries must be an integer from 0 to 5, got '${values.retries}'`);
  }
  const serverNodeFlags = values['server-node-flag'] ?? [];
  for (const flag of serverNodeFlags) {
    if (!/^--[a-z][a-z0-9-]*(=\S+)?$/.test(flag)) {
      throw new Error(`--server-node-flag takes one node flag such as --max-semi-space-size=4, got '${flag}'`);
    }
  }
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) {
    throw new Error(`--repeat must be an integer from 1 to 20, got '${values.repeat}'`);
  }
  return {
    scenarios: values.scenario ?? [],
    repeat,
    quick,
    workers,
    cpuProfile: values['cpu-prof'] ?? false,
    serverNodeFlags,
    quietWaitS,
    retries,
    list: values.list ?? false,
    help: values.help ?? false,
  };
}
