import type { DrainReport } from './drain-protocol.js';
import type { DrainMetrics } from './metrics.js';

/** One row of `messages` as the drain check reads it back. */
export interface StoredRow {
  readonly id: string;
  readonly roomId: string;
  readonly seq: number;
}

/**
 * Whether the store holds every published message exactly once: as many rows as published,
 * no id twice, every published id present, and each room's sequence numbers without gaps.
 * Returns what is wrong (first problem found), or null when all holds.
 */
export function exactlyOnceProblem(publishedIds: readonly string[], rows: readonly StoredRow[]): string | null {
  const stored = new Map<string, number>();
  for (const row of rows) stored.set(row.id, (stored.get(row.id) ?? 0) + 1);
  const duplicated = [...stored].filter(([, count]) => count > 1);
  if (duplicated.length > 0)
    return `${duplicated.length} message ids stored more than once (e.g. ${duplicated[0]![0]})`;
  const missing = publishedIds.filter((id) => !stored.has(id));
  if (missing.length > 0)
    return `${missing.length} of ${publishedIds.length} published messages not stored (e.g. ${missing[0]})`;
  if (rows.length !== publishedIds.length) {
    return `${rows.length} rows stored for ${publishedIds.length} published messages`;
  }
  const byRoom = new Map<string, number[]>();
  for (const row of rows) {
    const seqs = byRoom.get(row.roomId) ?? [];
    seqs.push(row.seq);
    byRoom.set(row.roomId, seqs);
  }
  for (const [roomId, seqs] of byRoom) {
    seqs.sort((a, b) => a - b);
    for (let i = 1; i < seqs.length; i++) {
      if (seqs[i] !== seqs[i - 1]! + 1) return `room ${roomId}: seq ${seqs[i - 1]} is followed by ${seqs[i]}`;
    }
  }
  return null;
}

/** The figures a drain scenario reports, from what its worker measured. */
export function drainMetricsFrom(
  spec: {
    readonly queue: 'local' | 'redis';
    readonly messages: number;
    readonly rooms: number;
    readonly bodyBytes: number;
  },
  report: DrainReport,
): DrainMetrics {
  const windowUs = Math.max(1, report.drainS * 1_000_000);
  const percent = (us: number | null): number | null => (us === null ? null : (us / windowUs) * 100);
  const other = report.systemBusyUs - report.persisterCpuUs - (report.mariadbCpuUs ?? 0) - (report.redisCpuUs ?? 0);
  return {
    queue: spec.queue,
    messages: spec.messages,
    rooms: spec.rooms,
    bodyBytes: spec.bodyBytes,
    batchSize: report.batchSize,
    fillS: report.fillS,
    drainS: report.drainS,
    messagesPerSec: report.drainS > 0 ? spec.messages / report.drainS : 0,
    written: report.written,
    rejected: report.rejected,
    storedRows: report.storedRows,
    distinctIds: report.distinctIds,
    verified: report.verifyProblem === null && report.written === spec.messages && report.rejected === 0,
    verifyProblem:
      report.verifyProblem ??
      (report.written !== spec.messages || report.rejected !== 0
        ? `persister reported ${report.written} stored and ${report.rejected} refused of ${spec.messages}`
        : null),
    persisterCpuUsPerMessage: spec.messages > 0 ? report.persisterCpuUs / spec.messages : 0,
    persisterCpuPercent: percent(report.persisterCpuUs) ?? 0,
    mariadbCpuPercent: percent(report.mariadbCpuUs),
    redisCpuPercent: percent(report.redisCpuUs),
    otherCpuPercent: Math.max(0, percent(other) ?? 0),
  };
}
