/**
 * The report's charts, drawn by Vega-Lite (compiled to a Vega view, rendered to SVG without
 * a browser or canvas).
 */
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { Point } from './artillery-results.js';

export interface ChartSpec {
  readonly title: string;
  readonly yTitle: string;
  readonly points: readonly Point[];
  /** Bars stacked by series (counts) instead of lines (levels). @default false */
  readonly stacked?: boolean;
}

export async function renderChart(chart: ChartSpec): Promise<string> {
  const mark = chart.stacked ? { type: 'bar' as const } : { type: 'line' as const, point: true };
  const spec: vegaLite.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chart.title,
    width: 560,
    height: 220,
    background: 'white',
    data: { values: chart.points.map((p) => ({ ...p })) },
    mark,
    encoding: {
      x: { field: 'second', type: chart.stacked ? 'ordinal' : 'quantitative', title: 'seconds since start' },
      y: { field: 'value', type: 'quantitative', title: chart.yTitle, ...(chart.stacked ? { stack: 'zero' } : {}) },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
