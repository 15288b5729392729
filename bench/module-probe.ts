/**
 * Child process for the start-up scenarios' module table: imports the modules named in argv
 * (none: an empty process) in a fresh process, collects garbage, and prints its RSS and heap
 * before and after as one JSON line. Run with --expose-gc from a directory whose
 * node_modules holds the service's dependencies.
 */
const specifiers = process.argv.slice(2);

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
for (const specifier of specifiers) await import(specifier);
const importMs = performance.now() - started;
// Some modules finish setting up on the next turns (timers, lazy requires); let them.
await new Promise((resolve) => setTimeout(resolve, 200));
const after = sample();
process.stdout.write(`${JSON.stringify({ specifiers, before, after, importMs })}\n`);
process.exit(0);
