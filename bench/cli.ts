import { parseArgs } from 'node:util';

export interface CliOptions {
  readonly scenarios: readonly string[];
  readonly quick: boolean;
  readonly workers: number;
  readonly cpuProfile: boolean;
  readonly list: boolean;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]
  --scenario <name>   run only this scenario (repeatable, or comma-separated; 'all' = every scenario)
  --quick             short, reduced-size smoke run (results get a -quick suffix)
  --workers <n>       load worker processes, 1 or 2 (default 2)
  --cpu-prof          run the server under node --cpu-prof and report its hottest functions
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
  return {
    scenarios: values.scenario ?? [],
    quick: values.quick ?? false,
    workers,
    cpuProfile: values['cpu-prof'] ?? false,
    list: values.list ?? false,
    help: values.help ?? false,
  };
}
