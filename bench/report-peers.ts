/**
 * The report's sections for issue #18: the peers side by side per load (medians, spread and our
 * ratio to each), start-up and baseline memory, and the chart links.
 */
import type { RenderedChart } from './charts.js';
import { fmt, table } from './format.js';
import { IDLE_SAMPLE_S } from './metrics.js';
import { figureOf, type SpreadKey } from './repeats.js';
import type { BenchRun, ScenarioResult } from './results-types.js';
import { SYSTEMS } from './systems.js';

const OURS = SYSTEMS.app.label;

/** A figure as 'median (min–max)' when repeated, else the single value. */
export function withSpread(result: ScenarioResult, key: SpreadKey, digits: number): string {
  const spread = result.repeats?.[key];
  if (spread === undefined || spread.values.length < 2) return fmt(figureOf(result, key), digits);
  return `${fmt(spread.median, digits)} (${fmt(spread.min, digits)}–${fmt(spread.max, digits)})`;
}

/** ours ÷ theirs as '1.23×', or '—'. */
function ratio(ours: number | null, theirs: number | null): string {
  return ours === null || theirs === null || theirs === 0 ? '—' : `${fmt(ours / theirs, 2)}×`;
}

export function peerSection(run: BenchRun): string[] {
  const grouped = new Map<string, ScenarioResult[]>();
  for (const result of run.scenarios) {
    if (result.load === undefined || result.status !== 'ok') continue;
    grouped.set(result.load, [...(grouped.get(result.load) ?? []), result]);
  }
  const rows: string[][] = [];
  for (const [load, results] of grouped) {
    const ours = results.find((result) => result.system === OURS);
    for (const result of results) {
      const isOurs = result === ours;
      rows.push([
        load,
        result.system ?? OURS,
        result.name,
        withSpread(result, 'cpuUsPerDelivery', 1),
        withSpread(result, 'latencyP50Ms', 2),
        withSpread(result, 'latencyP99Ms', 2),
        isOurs || !ours ? '—' : ratio(figureOf(ours, 'cpuUsPerDelivery'), figureOf(result, 'cpuUsPerDelivery')),
        isOurs || !ours ? '—' : ratio(figureOf(ours, 'latencyP50Ms'), figureOf(result, 'latencyP50Ms')),
      ]);
    }
  }
  if (rows.length === 0) return [];
  const rounds = run.config.repeat ?? 1;
  return [
    '## Peers side by side',
    `The same load from the same workers on each system, in one run${rounds > 1 ? ` of ${rounds} interleaved rounds: medians, with the spread (min–max) over the rounds` : ' (one round: use --repeat 3 for medians and spread)'}. ` +
      'Ratios are ours ÷ theirs (below 1× means this service costs less / is faster). RabbitMQ Web-STOMP figures are the whole broker process.',
    table(
      [
        'Load',
        'System',
        'Scenario',
        'Server CPU µs/delivery',
        'p50 ms',
        'p99 ms',
        'Ours ÷ this, CPU',
        'Ours ÷ this, p50',
      ],
      rows,
    ),
  ];
}

export function startupSection(run: BenchRun): string[] {
  const started = run.scenarios.filter((result) => result.kind === 'startup' && result.startup);
  if (started.length === 0) return [];
  const sections = [
    '## Start-up and baseline memory',
    table(
      [
        'Scenario',
        'System',
        'Backplane',
        'Listening after ms',
        'RSS before first connection MiB',
        `RSS idle ${IDLE_SAMPLE_S} s MiB`,
      ],
      started.map((result) => [
        result.name,
        result.system ?? OURS,
        result.backplane,
        withSpread(result, 'startupMs', 0),
        withSpread(result, 'baselineRssMiB', 1),
        withSpread(result, 'idleRssMiB', 1),
      ]),
    ),
  ];
  for (const result of started) {
    const modules = result.startup?.modules;
    if (!modules || modules.length === 0) continue;
    sections.push(
      `### What importing each dependency costs a fresh process (${result.name})`,
      'Each module imported in its own `node --expose-gc` process, after GC: alone (minus an empty process; rows overlap through shared dependencies), and after the core modules every configuration loads (minus those alone): the second pair is what loading it only when configured would save. RSS is noisy (±5 MiB); the heap figures are steady.',
      table(
        [
          'Module',
          'Alone: RSS MiB',
          'Alone: V8 heap MiB',
          'Import ms',
          'On top of core: RSS MiB',
          'On top of core: heap MiB',
        ],
        modules.map((cost) => [
          cost.module,
          fmt(cost.rssMiB, 1),
          fmt(cost.heapMiB, 1),
          fmt(cost.importMs, 0),
          fmt(cost.addedRssMiB, 1),
          fmt(cost.addedHeapMiB, 1),
        ]),
      ),
    );
  }
  return sections;
}

export function chartSection(charts: readonly RenderedChart[]): string[] {
  if (charts.length === 0) return [];
  return ['## Charts', charts.map((chart) => `![${chart.title}](${chart.file})`).join('\n\n')];
}
