import type { RenderedChart } from './charts.js';
import { fmt, table, verdict } from './format.js';
import { chartSection, peerSection, startupSection } from './report-peers.js';
import { IDLE_SAMPLE_S } from './metrics.js';
import { shardSection } from './report-shards.js';
import type { BenchRun, ScenarioResult } from './results-types.js';

/** Renders a run as the Markdown committed next to the JSON (and copied to latest.md). */
export function renderMarkdown(run: BenchRun, charts: readonly RenderedChart[] = []): string {
  const { machine, config, git } = run;
  const sections: string[] = [
    `# Benchmark ${run.date.slice(0, 10)} — commit ${git.commit}${git.dirty ? ' (uncommitted changes)' : ''}`,
    [
      `- Machine: ${machine.cpuModel} × ${machine.cpuCount}, ${fmt(machine.totalMemoryMiB / 1024, 1)} GiB RAM, ` +
        `${machine.platform} ${machine.kernel}, Node ${machine.node}`,
      `- Run: ${config.quick ? 'quick (smoke, reduced sizes — not comparable to targets)' : 'full'}, ` +
        `${config.workers} load worker process(es), server CPU profiling ${config.cpuProfile ? 'ON (adds overhead)' : 'off'}` +
        (config.serverNodeFlags?.length ? `, the service's node flags: \`${config.serverNodeFlags.join(' ')}\`` : ''),
      `- Date: ${run.date}; overall: **${run.pass ? 'PASS' : 'FAIL'}**`,
      ...serviceLines(run),
    ].join('\n'),
    '## Results',
    table(
      [
        'Scenario',
        'Subs × SEND/s',
        'Delivered/s (expected)',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'max ms',
        'Server CPU µs/delivery',
        'Server CPU %',
        'Busiest client CPU %',
        'Other CPU %',
        'Redis CPU %',
        'RSS KiB/idle conn',
        'Peak RSS MiB',
        'Client errors',
        'Targets',
      ],
      run.scenarios.map(resultRow),
    ),
  ];

  sections.push(...peerSection(run), ...shardSection(run), ...chartSection(charts), ...startupSection(run));

  const targetRows = run.scenarios.flatMap((scenario) =>
    scenario.targets.map((target) => [
      scenario.name,
      target.metric,
      target.limit,
      fmt(target.value, 2),
      verdict(target.pass),
      target.source,
    ]),
  );
  if (targetRows.length > 0) {
    sections.push('## Targets', table(['Scenario', 'Metric', 'Target', 'Measured', 'Result', 'Source'], targetRows));
  }

  const comparisonRows = run.scenarios.flatMap((scenario) =>
    (scenario.comparisons ?? []).map((comparison) => [
      scenario.name,
      comparison.metric,
      fmt(comparison.value, 2),
      comparison.reference,
      fmt(comparison.referenceValue, 2),
      comparison.delta === null ? '—' : `${comparison.delta >= 0 ? '+' : ''}${fmt(comparison.delta, 2)}`,
      comparison.deltaPercent === null
        ? '—'
        : `${comparison.deltaPercent >= 0 ? '+' : ''}${fmt(comparison.deltaPercent, 1)} %`,
      comparison.limited ? comparison.allowed : 'context',
      comparison.limited ? verdict(comparison.pass) : '—',
    ]),
  );
  if (comparisonRows.length > 0) {
    sections.push(
      '## Compared within this run',
      'Each scenario next to the one named, measured in this same run on this machine (Δ = this − reference).',
      table(
        ['Scenario', 'Metric', 'This scenario', 'Reference', 'Reference value', 'Δ', 'Δ %', 'Allowed', 'Result'],
        comparisonRows,
      ),
    );
  }

  const drainRows = run.scenarios.flatMap((scenario) => {
    const drain = scenario.drain;
    if (!drain) return [];
    const target = scenario.targets.find((candidate) => candidate.metric === 'drainMessagesPerSec');
    return [
      [
        scenario.name,
        drain.queue === 'redis' ? 'Redis stream' : 'in-process',
        fmt(drain.messages, 0),
        String(drain.batchSize),
        fmt(drain.fillS, 2),
        fmt(drain.drainS, 2),
        fmt(drain.messagesPerSec, 0),
        fmt(drain.persisterCpuUsPerMessage, 1),
        fmt(drain.persisterCpuPercent, 0),
        fmt(drain.mariadbCpuPercent, 0),
        fmt(drain.redisCpuPercent, 0),
        fmt(drain.otherCpuPercent, 0),
        drain.verified ? 'yes' : `NO: ${drain.verifyProblem ?? ''}`,
        target ? `${target.limit}: ${verdict(target.pass)}` : '—',
      ],
    ];
  });
  if (drainRows.length > 0) {
    sections.push(
      '## Persister drain into MariaDB',
      table(
        [
          'Scenario',
          'Persist queue',
          'Messages',
          'Batch',
          'Fill s',
          'Drain s',
          'Messages/s',
          'Persister CPU µs/msg',
          'Persister CPU %',
          'MariaDB CPU %',
          'Redis CPU %',
          'Other CPU %',
          'Each stored once',
          'Target',
        ],
        drainRows,
      ),
    );
  }

  const baselineRows = run.scenarios.flatMap((scenario) =>
    scenario.baselines.map((baseline) => [
      scenario.name,
      baseline.metric,
      fmt(baseline.ours, 2),
      baseline.system,
      fmt(baseline.value, 2),
      baseline.ratio === null ? '—' : `${fmt(baseline.ratio, 2)}×`,
    ]),
  );
  if (baselineRows.length > 0) {
    sections.push(
      '## Compared with earlier baselines',
      table(['Scenario', 'Metric', 'This server', 'Baseline system', 'Baseline', 'Ratio'], baselineRows),
    );
  }

  const receiptRows = run.scenarios
    .filter((scenario) => scenario.metrics?.receiptsPerSec !== null && scenario.metrics?.receiptsPerSec !== undefined)
    .map((scenario) => {
      const metrics = scenario.metrics!;
      const target = scenario.targets.find((candidate) => candidate.metric === 'receiptsPerSec');
      return [
        scenario.name,
        `${scenario.servers} × ${scenario.backplane}`,
        fmt(scenario.shape.ratePerSec, 0),
        fmt(metrics.sentPerSec, 0),
        fmt(metrics.receiptsPerSec, 0),
        fmt(metrics.receiptLatencyMs?.p50, 2),
        fmt(metrics.receiptLatencyMs?.p99, 2),
        fmt(metrics.receiptLatencyMs?.max, 2),
        target ? `${target.limit}: ${verdict(target.pass)}` : '—',
      ];
    });
  if (receiptRows.length > 0) {
    sections.push(
      '## Receipts (accepted SENDs)',
      table(
        [
          'Scenario',
          'Servers × backplane',
          'Offered SEND/s',
          'Sent SEND/s',
          'RECEIPT/s',
          'p50 ms',
          'p99 ms',
          'max ms',
          'Target RECEIPT/s',
        ],
        receiptRows,
      ),
    );
  }

  const notes = run.scenarios.flatMap(scenarioNotes);
  if (notes.length > 0) sections.push('## Notes', notes.join('\n'));

  for (const scenario of run.scenarios) {
    if (!scenario.hotFunctions || scenario.hotFunctions.length === 0) continue;
    sections.push(
      `## Server hot functions — ${scenario.name} (self time, measurement window)`,
      table(
        ['Function', 'Location', 'Self %', 'Total %'],
        scenario.hotFunctions.map((hot) => [
          hot.name,
          hot.location || '(native)',
          fmt(hot.selfPct, 1),
          fmt(hot.totalPct, 1),
        ]),
      ),
    );
  }

  sections.push(
    '## How these numbers are measured',
    [
      '- Latency: SEND body carries the CLOCK_MONOTONIC time at `ws.send`; subscriber records receive time − send time (HdrHistogram, µs).',
      '- Delivered/s: MESSAGE frames received by all subscribers in the measured window ÷ window; expected = SEND/s × subscribers.',
      "- Delivery ratio: delivered ÷ (delivered + lost); each subscriber counts gaps in every publisher's sequence numbers.",
      '- Server CPU µs/delivery: Δ(utime+stime) of the server process(es) from /proc over the window ÷ deliveries in the window.',
      `- RSS KiB/idle conn: (server VmRSS at the end of the idle window, ${IDLE_SAMPLE_S} s after connecting + subscribing in a full run, − VmRSS before connecting) ÷ connections; the early figure, right after settling, is in the notes.`,
      '- Load runs in separate worker processes; warm-up is excluded; heart-beats and WS pings are off on the server.',
      '- Client CPU = busiest load worker; Other CPU = machine process time (/proc/stat, without irq/softirq) − server − workers − Redis, to spot interference.',
      '- Redis CPU: Δ(used_cpu_user + used_cpu_sys) from `INFO cpu` over the window (Redis scenarios; not included in server CPU µs/delivery).',
      '- Redis scenarios use a fresh random key prefix per attempt (REDIS_KEY_PREFIX) and delete its keys afterwards.',
      "- Compared within this run: targets relative to another scenario (e.g. fanout-100x100) use that scenario's result from the same run.",
      "- Persister drain: N room messages are published through the backplane into the persist queue first; then the real MessagePersister (SQL store, PERSISTER_BATCH_SIZE) runs until the queue's backlog is 0; messages/s = N ÷ that time. Afterwards every published id is looked up in a scratch `bench_<random>` database (dropped afterwards): stored once, room sequences without gaps.",
    ].join('\n'),
  );
  return `${sections.join('\n\n')}\n`;
}

function serviceLines(run: BenchRun): string[] {
  const services = run.config.services;
  if (!services) return [];
  const lines: string[] = [];
  if (services.redis) {
    lines.push(
      services.redis.available
        ? `- Redis: ${services.redis.url}, key prefix \`${services.redis.keyPrefix}<attempt>:\` (deleted after each scenario)`
        : `- Redis: unavailable (${services.redis.reason ?? 'unknown'}): its scenarios were skipped`,
    );
  }
  if (services.mariadb) {
    lines.push(
      services.mariadb.available
        ? `- MariaDB: ${services.mariadb.url}, a scratch \`bench_<random>\` database per drain attempt (dropped afterwards)`
        : `- MariaDB: unavailable (${services.mariadb.reason ?? 'unknown'}): its scenarios were skipped`,
    );
  }
  if (services.webStomp) {
    lines.push(
      services.webStomp.available
        ? `- RabbitMQ Web-STOMP: ${services.webStomp.url} (guest/guest, \`/topic/bench\`); its CPU and RSS are the broker node's`
        : `- RabbitMQ Web-STOMP: unavailable (${services.webStomp.reason ?? 'unknown'}): its scenarios were skipped`,
    );
  }
  return lines;
}

const RESULT_COLUMNS = 16;

function resultRow(scenario: ScenarioResult): string[] {
  const metrics = scenario.metrics;
  const passed = scenario.targets.filter((target) => target.pass === true).length;
  const targetsCell = scenario.targets.length === 0 ? '—' : `${passed}/${scenario.targets.length} pass`;
  if (scenario.kind === 'startup') {
    const cells = [scenario.name, 'start-up', scenario.startup ? 'see Start-up' : scenario.status.toUpperCase()];
    return [
      ...cells,
      ...new Array<string>(RESULT_COLUMNS - cells.length - 1).fill(''),
      scenario.startup ? targetsCell : scenario.status,
    ];
  }
  if (scenario.kind === 'drain') {
    const drain = scenario.drain;
    const messages = drain ? `${fmt(drain.messages, 0)} queued (${drain.queue})` : 'queued messages';
    const cells = [scenario.name, messages, drain ? 'see Persister drain' : scenario.status.toUpperCase()];
    return [
      ...cells,
      ...new Array<string>(RESULT_COLUMNS - cells.length - 1).fill(''),
      drain ? targetsCell : scenario.status,
    ];
  }
  const load =
    scenario.kind === 'idle'
      ? `${scenario.shape.subscribers} idle`
      : `${scenario.shape.subscribers} × ${scenario.shape.ratePerSec}`;
  const shape = `${load}${scenario.servers > 1 ? ` (${scenario.servers} servers)` : ''}${scenario.backplane === 'redis' ? ', Redis' : ''}`;
  if (!metrics) {
    return [
      scenario.name,
      shape,
      scenario.status.toUpperCase(),
      ...new Array<string>(RESULT_COLUMNS - 4).fill(''),
      scenario.status,
    ];
  }
  const errors = metrics.errors;
  const errorCount = errors.connectFailures + errors.errorFrames + errors.unexpectedCloses;
  const delivered =
    metrics.deliveredPerSec === null
      ? '—'
      : `${fmt(metrics.deliveredPerSec, 0)} (${fmt(metrics.expectedDeliveredPerSec, 0)})`;
  return [
    scenario.name,
    shape,
    delivered,
    fmt(metrics.latencyMs?.p50, 2),
    fmt(metrics.latencyMs?.p90, 2),
    fmt(metrics.latencyMs?.p99, 2),
    fmt(metrics.latencyMs?.max, 2),
    fmt(metrics.cpuUsPerDelivery, 1),
    fmt(metrics.serverCpuPercent, 1),
    fmt(metrics.clientCpuPercentMax, 0),
    fmt(metrics.otherCpuPercent, 0),
    fmt(metrics.redisCpuPercent, 0),
    fmt(metrics.rssKiBPerIdleConnection, 2),
    fmt(metrics.serverRssPeakMiB, 1),
    String(errorCount),
    targetsCell,
  ];
}

function scenarioNotes(scenario: ScenarioResult): string[] {
  const lines: string[] = [];
  if (scenario.reason) lines.push(`- ${scenario.name}: ${scenario.status}: ${scenario.reason.split('\n')[0]}`);
  for (const note of scenario.notes) lines.push(`- ${scenario.name}: ${note}`);
  if (scenario.drain && scenario.drain.otherCpuPercent > 10) {
    lines.push(
      `- ${scenario.name}: other processes used ${fmt(scenario.drain.otherCpuPercent, 0)} % of a core during the drain — numbers may be disturbed`,
    );
  }
  const metrics = scenario.metrics;
  if (metrics) {
    const errors = metrics.errors;
    if (errors.unconfirmedSubscriptions > 0) {
      lines.push(`- ${scenario.name}: ${errors.unconfirmedSubscriptions} SUBSCRIBE receipts did not arrive in time`);
    }
    for (const sample of errors.samples) lines.push(`- ${scenario.name}: client saw: ${sample}`);
    if ((metrics.lostMessages ?? 0) > 0 || (metrics.reorderedMessages ?? 0) > 0) {
      lines.push(
        `- ${scenario.name}: ${metrics.lostMessages ?? 0} messages lost and ${metrics.reorderedMessages ?? 0} duplicated or out of order (from publisher sequence numbers)`,
      );
    }
    if (metrics.clientCpuPercentMax > 85) {
      lines.push(
        `- ${scenario.name}: a load worker used ${fmt(metrics.clientCpuPercentMax, 0)} % of a core — latency includes client-side queueing`,
      );
    }
    if (metrics.otherCpuPercent > 10) {
      lines.push(
        `- ${scenario.name}: other processes used ${fmt(metrics.otherCpuPercent, 0)} % of a core during the window — numbers may be disturbed`,
      );
    }
    if (metrics.publisherMaxLagMs !== null && metrics.publisherMaxLagMs > 50) {
      lines.push(
        `- ${scenario.name}: load generator fell up to ${fmt(metrics.publisherMaxLagMs, 0)} ms behind its schedule (client-side saturation)`,
      );
    }
  }
  return lines;
}
