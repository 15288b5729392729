import { describe, expect, it } from '@jest/globals';
import { parseCli } from '../../../bench/cli.js';

describe('parseCli', () => {
  it('defaults to the full default run with two workers', () => {
    expect(parseCli([])).toEqual({
      scenarios: [],
      quick: false,
      workers: 2,
      cpuProfile: false,
      serverNodeFlags: [],
      quietWaitS: 90,
      retries: 1,
      repeat: 1,
      list: false,
      help: false,
    });
  });

  it('accepts repeated scenarios, --quick, --workers and --cpu-prof', () => {
    expect(parseCli(['--scenario', 'a', '--scenario=b,c', '--quick', '--workers', '1', '--cpu-prof'])).toMatchObject({
      scenarios: ['a', 'b,c'],
      quick: true,
      workers: 1,
      cpuProfile: true,
      quietWaitS: 5,
      retries: 0,
    });
    expect(parseCli(['--quiet-wait', '0']).quietWaitS).toBe(0);
  });

  it('passes node flags to the service only when each is one well-formed flag', () => {
    expect(
      parseCli(['--server-node-flag=--max-semi-space-size=4', '--server-node-flag=--expose-gc']).serverNodeFlags,
    ).toEqual(['--max-semi-space-size=4', '--expose-gc']);
    expect(() => parseCli(['--server-node-flag', 'max-semi-space-size=4'])).toThrow(/--server-node-flag/);
    expect(() => parseCli(['--server-node-flag=--a --b'])).toThrow(/--server-node-flag/);
  });

  it('rejects unknown flags and bad worker counts', () => {
    expect(() => parseCli(['--fast'])).toThrow();
    expect(() => parseCli(['--workers', '0'])).toThrow(/--workers/);
    expect(() => parseCli(['--workers', 'two'])).toThrow(/--workers/);
    expect(() => parseCli(['--quiet-wait', '-1'])).toThrow(/--quiet-wait/);
    expect(() => parseCli(['--retries', '9'])).toThrow(/--retries/);
  });
});
