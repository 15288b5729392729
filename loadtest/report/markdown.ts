/**
 * The Markdown summary of one run: the numbers a reviewer asks first (latency percentiles,
 * delivered vs expected, gaps, errors by code, gate results), then the charts.
 */
import { METRIC } from '../processor/metrics.js';
import { errorTotals, type ArtilleryResults, type Summary } from './artillery-results.js';

export interface ReportMeta {
  readonly scenario: string;
  readonly target: string;
  readonly startedAt: string;
  /** Artillery's exit code; 0 when every gate passed. */
  readonly exitCode: number;
  readonly checks: readonly { readonly passed: boolean; readonly check: string }[];
  /** Chart file names relative to the report, with their captions. */
  readonly charts: readonly { readonly file: string; readonly caption: string }[];
}

const ms = (value: number | undefined): string => (value === undefined ? '–' : `${value.toFixed(1)} ms`);

function latencyRow(label: string, summary: Summary | undefined): string {
  if (!summary) return `| ${label} | – | – | – | – | 0 |`;
  return `| ${label} | ${ms(summary.p50)} | ${ms(summary.p95)} | ${ms(summary.p99)} | ${ms(summary.max)} | ${summary.count} |`;
}

export function renderMarkdown(results: ArtilleryResults, meta: ReportMeta): string {
  const { counters, summaries } = results.aggregate;
  const count = (name: string): number => counters[name] ?? 0;
  const delivered = count(METRIC.delivered);
  const expected = count(METRIC.expected);
  const share = expected === 0 ? '–' : `${((delivered / expected) * 100).toFixed(2)} %`;
  const verdict = meta.exitCode === 0 ? '**PASS**' : `**FAIL** (exit code ${meta.exitCode})`;
  const errors = errorTotals(results);

  const lines = [
    `# Load test report: ${meta.scenario}`,
    '',
    `Target \`${meta.target}\`, started ${meta.startedAt}. Result: ${verdict}.`,
    '',
    '## Latency',
    '',
    '| metric | p50 | p95 | p99 | max | samples |',
    '| --- | --- | --- | --- | --- | --- |',
    latencyRow('connect (upgrade + CONNECT → CONNECTED)', summaries[METRIC.connectTime]),
    latencyRow('receipt (SEND → RECEIPT)', summaries[METRIC.receiptLatency]),
    latencyRow('send → deliver', summaries[METRIC.deliveryLatency]),
    latencyRow('login (POST /auth/login)', summaries[METRIC.loginTime]),
    '',
    '## Delivery',
    '',
    '| | count |',
    '| --- | --- |',
    `| virtual users created / completed / failed | ${count('vusers.created')} / ${count('vusers.completed')} / ${count('vusers.failed')} |`,
    `| sessions opened | ${count(METRIC.sessionsOpened)} |`,
    `| messages sent / receipted / receipt timeouts | ${count(METRIC.sent)} / ${count(METRIC.receipts)} / ${count(METRIC.receiptTimeouts)} |`,
    `| delivered / expected (x-seq spans watched) | ${delivered} / ${expected} (${share}) |`,
    `| gaps / duplicates | ${count(METRIC.gaps)} / ${count(METRIC.duplicates)} |`,
    `| resumes / replayed / truncated replays | ${count(METRIC.resumes)} / ${count(METRIC.replayed)} / ${count(METRIC.replayTruncated)} |`,
    `| token refreshes | ${count(METRIC.tokenRefreshes)} |`,
    '',
    '## Errors by code',
    '',
    ...(errors.length === 0
      ? ['None.']
      : ['| code | count |', '| --- | --- |', ...errors.map(([code, n]) => `| \`${code}\` | ${n} |`)]),
    '',
    '## Gates (Artillery `ensure`)',
    '',
    ...(meta.checks.length === 0
      ? ['No checks were reported.']
      : meta.checks.map((c) => `- ${c.passed ? 'ok' : '**fail**'}: \`${c.check}\``)),
    '',
    '## Charts',
    '',
    ...meta.charts.flatMap((chart) => [`![${chart.caption}](${chart.file})`, '']),
  ];
  return lines.join('\n');
}
