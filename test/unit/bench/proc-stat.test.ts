import { describe, expect, it } from '@jest/globals';
import {
  busyCores,
  cpuMicrosBetween,
  parseProcStat,
  parseProcStatus,
  parseSystemStat,
} from '../../../bench/proc-stat.js';

// A real /proc/<pid>/stat line with a command name containing spaces and a ')'.
const STAT =
  '4242 (node main) x) S 4200 4242 4200 34816 4242 4194304 12000 0 3 0 1534 287 0 0 20 0 11 0 98765 ' +
  '1234567890 23456 18446744073709551615 1 1 0 0 0 0 0 4096 134234626 0 0 0 17 1 0 0 0 0 0';

const STATUS = [
  'Name:\tnode',
  'VmPeak:\t 1200000 kB',
  'VmHWM:\t   98304 kB',
  'VmRSS:\t   81920 kB',
  'Threads:\t11',
].join('\n');

describe('parseProcStat', () => {
  it('reads utime and stime counting fields after the last parenthesis', () => {
    expect(parseProcStat(STAT)).toEqual({ utime: 1534, stime: 287 });
  });

  it('rejects text that is not a stat line', () => {
    expect(() => parseProcStat('garbage')).toThrow();
    expect(() => parseProcStat('1 (x) S 1')).toThrow();
  });
});

describe('parseProcStatus', () => {
  it('reads current and peak RSS in KiB', () => {
    expect(parseProcStatus(STATUS)).toEqual({ rss: 81_920, peak: 98_304 });
  });

  it('fails loudly when a field is missing', () => {
    expect(() => parseProcStatus('Name:\tnode\nVmRSS:\t1 kB')).toThrow(/VmHWM/);
  });
});

describe('cpuMicrosBetween', () => {
  it('converts the user+system tick delta to microseconds', () => {
    expect(cpuMicrosBetween({ utime: 100, stime: 20 }, { utime: 150, stime: 30 }, 100)).toBe(600_000);
    expect(cpuMicrosBetween({ utime: 0, stime: 0 }, { utime: 1, stime: 0 }, 250)).toBe(4_000);
  });
});

describe('parseSystemStat', () => {
  it('sums busy and total ticks from the aggregate cpu line, counting iowait as idle', () => {
    const text = ['cpu  100 5 50 1000 20 3 2 10 0 0', 'cpu0 50 2 25 500 10 1 1 5 0 0', 'intr 12345'].join('\n');
    expect(parseSystemStat(text)).toEqual({ busy: 170, interrupt: 5, total: 1190 });
  });

  it('rejects text without the aggregate line', () => {
    expect(() => parseSystemStat('cpu0 1 2 3 4')).toThrow(/aggregate/);
  });
});

describe('busyCores', () => {
  it('scales the busy share of all ticks by the CPU count', () => {
    expect(busyCores({ busy: 100, interrupt: 0, total: 1_000 }, { busy: 200, interrupt: 0, total: 1_200 }, 2)).toBe(1);
    expect(busyCores({ busy: 5, interrupt: 1, total: 10 }, { busy: 5, interrupt: 1, total: 10 }, 4)).toBe(0);
  });
});
