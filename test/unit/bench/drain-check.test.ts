import { describe, expect, it } from '@jest/globals';
import { drainMetricsFrom, exactlyOnceProblem } from '../../../bench/drain-check.js';
import type { DrainReport } from '../../../bench/drain-protocol.js';

const rows = [
  { id: 'a', roomId: 'r1', seq: 1 },
  { id: 'b', roomId: 'r2', seq: 1 },
  { id: 'c', roomId: 'r1', seq: 2 },
  { id: 'd', roomId: 'r2', seq: 2 },
];

describe('exactlyOnceProblem', () => {
  it('accepts every published message stored once with gap-free room sequences', () => {
    expect(exactlyOnceProblem(['a', 'b', 'c', 'd'], rows)).toBeNull();
  });

  it('names missing, duplicated and extra messages and sequence gaps', () => {
    expect(exactlyOnceProblem(['a', 'b', 'c', 'd', 'e'], rows)).toBe('1 of 5 published messages not stored (e.g. e)');
    expect(exactlyOnceProblem(['a', 'b', 'c', 'd'], [...rows, { id: 'a', roomId: 'r3', seq: 1 }])).toMatch(
      /stored more than once/,
    );
    expect(exactlyOnceProblem(['a', 'b', 'c'], rows)).toBe('4 rows stored for 3 published messages');
    const gap = [rows[0]!, rows[1]!, { id: 'c', roomId: 'r1', seq: 3 }, rows[3]!];
    expect(exactlyOnceProblem(['a', 'b', 'c', 'd'], gap)).toBe('room r1: seq 1 is followed by 3');
  });
});

describe('drainMetricsFrom', () => {
  const report: DrainReport = {
    batchSize: 500,
    fillS: 1,
    drainS: 2,
    written: 40_000,
    rejected: 0,
    storedRows: 40_000,
    distinctIds: 40_000,
    verifyProblem: null,
    persisterCpuUs: 1_200_000,
    mariadbCpuUs: 800_000,
    redisCpuUs: null,
    systemBusyUs: 2_100_000,
    persisterLog: [],
  };
  const spec = { queue: 'local' as const, messages: 40_000, rooms: 20, bodyBytes: 200 };

  it('gives messages/s over the drain and CPU as % of one core, other CPU net of persister and MariaDB', () => {
    expect(drainMetricsFrom(spec, report)).toMatchObject({
      messagesPerSec: 20_000,
      persisterCpuUsPerMessage: 30,
      persisterCpuPercent: 60,
      mariadbCpuPercent: 40,
      redisCpuPercent: null,
      otherCpuPercent: 5,
      verified: true,
      verifyProblem: null,
    });
  });

  it('is not verified when the persister stored fewer or refused some, even if the rows check out', () => {
    const drain = drainMetricsFrom(spec, { ...report, written: 39_990, rejected: 10 });
    expect(drain.verified).toBe(false);
    expect(drain.verifyProblem).toBe('persister reported 39990 stored and 10 refused of 40000');
  });
});
