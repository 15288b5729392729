/**
 * Child process for the start-up scenarios' module table: imports the module named in argv[2]
 * (nothing for the empty name) in a fresh process, collects garbage, and prints its RSS and
 * heap before and after as one JSON line. Run with --expose-gc from a directory whose
 * node_modules holds the service's dependencies.
 */
const specifier = process.argv[2] ?? '';

interface Sample {
  readonly rssKiB: number;
  readonly heapKiB: number;
}

function sample(): Sample {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { rssKiB: usage.rss / 1024, heapKiB: usage.heapUsed / 1024 };
}

const before = sample();
const started = performance.now();
if (specifier !== '') await import(specifier);
const importMs = performance.now() - started;
// Some modules finish setting up on the next turns (timers, lazy requires); let them.
await new Promise((resolve) => setTimeout(resolve, 200));
const after = sample();
process.stdout.write(`${JSON.stringify({ specifier, before, after, importMs })}\n`);
process.exit(0);
