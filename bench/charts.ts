/**
 * The report's charts, drawn by Vega-Lite (compiled to a Vega view and rendered to SVG without a
 * browser), written next to the results and linked from the report.
 */
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { figureOf } from './repeats.js';
import type { BenchRun } from './results-types.js';
import { SYSTEMS } from './systems.js';

export interface RenderedChart {
  readonly title: string;
  /** File name in the results directory (the report links it relatively). */
  readonly file: string;
  readonly svg: string;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

async function toSvg(spec: vegaLite.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Latency p50/p90/p99 of every fan-out scenario that delivered, on a log axis (medians when repeated). */
function latencySpec(run: BenchRun): vegaLite.TopLevelSpec | undefined {
  const rows = run.scenarios.flatMap((result) =>
    result.status !== 'ok' || !result.metrics?.latencyMs
      ? []
      : (['latencyP50Ms', 'latencyP90Ms', 'latencyP99Ms'] as const).map((key) => ({
          scenario: result.name,
          system: result.system ?? SYSTEMS.app.label,
          percentile: key.slice(7, 10).toLowerCase(),
          ms: Math.max(0.01, figureOf(result, key) ?? 0),
        })),
  );
  if (rows.length === 0) return undefined;
  return {
    $schema: SCHEMA,
    title: 'Delivery latency per scenario (publisher send → subscriber receive)',
    background: 'white',
    width: 520,
    data: { values: rows },
    mark: { type: 'point', filled: true, size: 70 },
    encoding: {
      y: { field: 'scenario', type: 'nominal', sort: null, title: null },
      x: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'ms (log scale)' },
      color: { field: 'percentile', type: 'nominal', title: 'percentile', sort: ['p50', 'p90', 'p99'] },
      shape: { field: 'system', type: 'nominal', title: 'system' },
    },
  };
}

/** Server CPU per delivery per system, one panel per load, with the spread over rounds as a rule. */
function cpuSpec(run: BenchRun): vegaLite.TopLevelSpec | undefined {
  const rows = run.scenarios.flatMap((result) => {
    const median = figureOf(result, 'cpuUsPerDelivery');
    if (result.status !== 'ok' || result.load === undefined || median === null) return [];
    const spread = result.repeats?.cpuUsPerDelivery;
    return [
      {
        load: result.load,
        system: result.system ?? SYSTEMS.app.label,
        us: median,
        min: spread?.min ?? median,
        max: spread?.max ?? median,
      },
    ];
  });
  if (rows.length === 0) return undefined;
  const y = { field: 'system', type: 'nominal' as const, title: null, sort: null };
  return {
    $schema: SCHEMA,
    title: 'Server CPU per delivery (µs), same load on each system',
    background: 'white',
    data: { values: rows },
    facet: { row: { field: 'load', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left' } } },
    spec: {
      width: 420,
      layer: [
        {
          mark: 'bar',
          encoding: {
            y,
            x: { field: 'us', type: 'quantitative', title: 'µs CPU per delivery (median)' },
            color: { field: 'system', type: 'nominal', legend: null },
          },
        },
        {
          mark: { type: 'rule', color: 'black' },
          encoding: { y, x: { field: 'min', type: 'quantitative' }, x2: { field: 'max' } },
        },
        {
          mark: { type: 'text', align: 'left', dx: 4 },
          encoding: { y, x: { field: 'max', type: 'quantitative' }, text: { field: 'us', format: '.1f' } },
        },
      ],
    },
  };
}

/** Renders the charts this run has data for; `baseName` names the files (`<baseName>-latency.svg`, …). */
export async function renderCharts(run: BenchRun, baseName: string): Promise<RenderedChart[]> {
  const specs: [string, string, vegaLite.TopLevelSpec | undefined][] = [
    ['Latency percentiles per scenario', 'latency', latencySpec(run)],
    ['Server CPU µs per delivery per system', 'cpu', cpuSpec(run)],
  ];
  const charts: RenderedChart[] = [];
  for (const [title, suffix, spec] of specs) {
    if (spec !== undefined) charts.push({ title, file: `${baseName}-${suffix}.svg`, svg: await toSvg(spec) });
  }
  return charts;
}
