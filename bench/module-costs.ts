import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What importing one module costs a fresh process, alone (its dependencies included). */
export interface ModuleCost {
  readonly module: string;
  /** RSS after import and GC − RSS of an empty process, MiB. */
  readonly rssMiB: number;
  /** V8 heap used after import and GC − empty process', MiB. */
  readonly heapMiB: number;
  readonly importMs: number;
  /** The same two figures for importing it after CORE_MODULES (what it adds to a real start), MiB; null for a core module. */
  readonly addedRssMiB: number | null;
  readonly addedHeapMiB: number | null;
}

/**
 * What every configuration of the service loads whatever it is configured to use: Nest, its
 * HTTP platform and TypeORM integration, validation, logging, metrics and ws. The other modules'
 * cost on top of these is what loading them only when configured would save.
 */
export const CORE_MODULES: readonly string[] = [
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/typeorm',
  'typeorm',
  'class-validator',
  'pino',
  'prom-client',
  'ws',
];

/**
 * The packages the service imports (at start, or once configured or first used), and the whole service module graph (without
 * starting it), each measured in its own fresh process. The numbers overlap (Nest's packages
 * share @nestjs/core, typeorm and mongoose share nothing much): a module's row is what leaving
 * it out alone would save at most.
 */
export const PROBED_MODULES: readonly string[] = [
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/swagger',
  '@nestjs/typeorm',
  'typeorm',
  'mongoose',
  'mysql2',
  'better-sqlite3',
  'ioredis',
  'amqplib',
  '@aws-sdk/client-elastic-load-balancing-v2',
  'class-validator',
  'prom-client',
  'pino',
  'ws',
];

interface ProbeOutput {
  readonly before: { readonly rssKiB: number; readonly heapKiB: number };
  readonly after: { readonly rssKiB: number; readonly heapKiB: number };
  readonly importMs: number;
}

function probe(probeEntry: string, cwd: string, specifiers: readonly string[]): Promise<ProbeOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', probeEntry, ...specifiers],
      { cwd, timeout: 60_000, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `importing ${specifiers.join(', ') || '(nothing)'}: ${String(stderr).trim().split('\n').slice(-2).join(' ')}`,
            ),
          );
          return;
        }
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as ProbeOutput);
      },
    );
  });
}

/**
 * Measures every module of PROBED_MODULES plus the service's app module (`appModulePath`,
 * imported without being started) against an empty process: alone, and on top of CORE_MODULES.
 * Sequential on purpose: parallel probes would compete for the two cores and page cache. A
 * module that fails to import gets a row saying why, with no figures.
 */
export async function measureModuleCosts(
  buildRoot: string,
  probeEntry: string,
  appModulePath: string,
): Promise<ModuleCost[]> {
  const run = (specifiers: readonly string[]) => probe(probeEntry, buildRoot, specifiers);
  const empty = await run([]);
  const core = await run(CORE_MODULES);
  const over = (output: ProbeOutput, base: ProbeOutput) => ({
    rssMiB: (output.after.rssKiB - base.after.rssKiB) / 1024,
    heapMiB: (output.after.heapKiB - base.after.heapKiB) / 1024,
  });
  const costs: ModuleCost[] = [];
  const targets: [string, string][] = [
    ...PROBED_MODULES.map((name): [string, string] => [name, name]),
    ['the service (app-factory and everything it imports)', pathToFileURL(appModulePath).href],
  ];
  for (const [label, specifier] of targets) {
    try {
      const alone = await run([specifier]);
      const added = CORE_MODULES.includes(specifier) ? undefined : over(await run([...CORE_MODULES, specifier]), core);
      costs.push({
        module: label,
        ...over(alone, empty),
        importMs: alone.importMs,
        addedRssMiB: added?.rssMiB ?? null,
        addedHeapMiB: added?.heapMiB ?? null,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      costs.push({
        module: `${label} (${reason})`,
        rssMiB: NaN,
        heapMiB: NaN,
        importMs: NaN,
        addedRssMiB: null,
        addedHeapMiB: null,
      });
    }
  }
  costs.push({
    module: 'the core modules together',
    ...over(core, empty),
    importMs: core.importMs,
    addedRssMiB: null,
    addedHeapMiB: null,
  });
  costs.push({
    module: 'empty Node process (absolute)',
    rssMiB: empty.after.rssKiB / 1024,
    heapMiB: empty.after.heapKiB / 1024,
    importMs: 0,
    addedRssMiB: null,
    addedHeapMiB: null,
  });
  return costs;
}

/** Where the snapshot keeps the probe script and the service's app factory. */
export function probePaths(buildRoot: string): { probeEntry: string; appModulePath: string } {
  return {
    probeEntry: join(buildRoot, 'dist', 'bench', 'module-probe.js'),
    appModulePath: join(buildRoot, 'dist', 'app', 'src', 'app-factory.js'),
  };
}
