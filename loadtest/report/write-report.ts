/** Turns one run's Artillery JSON into `report.md` and its SVG charts in one directory. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRIC } from '../processor/metrics.js';
import {
  errorSeries,
  parseResults,
  percentileSeries,
  sessionSeries,
  throughputSeries,
  type ArtilleryResults,
  type Point,
} from './artillery-results.js';
import { renderChart, type ChartSpec } from './charts.js';
import { renderMarkdown, type ReportMeta } from './markdown.js';

export type ReportInput = Omit<ReportMeta, 'charts'>;

function chartSpecs(results: ArtilleryResults): Record<string, ChartSpec> {
  const errors = errorSeries(results);
  // An empty chart says nothing; a flat zero line says "no errors" at a glance.
  const errorPoints: Point[] =
    errors.length > 0 ? errors : sessionSeries(results).map((p) => ({ ...p, series: 'none', value: 0 }));
  return {
    'receipt-latency.svg': {
      title: 'Receipt latency (SEND → RECEIPT)',
      yTitle: 'ms',
      points: percentileSeries(results, METRIC.receiptLatency),
    },
    'delivery-latency.svg': {
      title: 'Send → deliver latency',
      yTitle: 'ms',
      points: percentileSeries(results, METRIC.deliveryLatency),
    },
    'connect-time.svg': {
      title: 'Connect time',
      yTitle: 'ms',
      points: percentileSeries(results, METRIC.connectTime),
    },
    'sessions.svg': { title: 'Open STOMP sessions', yTitle: 'sessions', points: sessionSeries(results) },
    'throughput.svg': {
      title: 'Delivered and receipted per second',
      yTitle: 'per second',
      points: throughputSeries(results),
    },
    'errors.svg': {
      title: 'Errors by code',
      yTitle: 'errors per period',
      points: errorPoints,
      stacked: errors.length > 0,
    },
  };
}

/** Writes the report into `directory`; returns the Markdown file's path. */
export async function writeReport(resultsFile: string, directory: string, input: ReportInput): Promise<string> {
  const results = parseResults(readFileSync(resultsFile, 'utf8'));
  mkdirSync(join(directory, 'charts'), { recursive: true });
  const charts: { file: string; caption: string }[] = [];
  for (const [file, spec] of Object.entries(chartSpecs(results))) {
    if (spec.points.length === 0) continue;
    writeFileSync(join(directory, 'charts', file), await renderChart(spec));
    charts.push({ file: `charts/${file}`, caption: spec.title });
  }
  const reportFile = join(directory, 'report.md');
  writeFileSync(reportFile, renderMarkdown(results, { ...input, charts }));
  return reportFile;
}
