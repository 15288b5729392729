import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { descriptorShortage, findRabbitPid, parseOpenFilesLimit } from '../../../bench/webstomp.js';

const proc = mkdtempSync(join(tmpdir(), 'fake-proc-'));
afterAll(() => rmSync(proc, { recursive: true, force: true }));

/** A fake /proc/<pid> with a command line, a limits file and `open` descriptors. */
function fakeProcess(pid: number, cmdline: string[], openFilesLimit: number, open: number): void {
  const dir = join(proc, String(pid));
  mkdirSync(join(dir, 'fd'), { recursive: true });
  writeFileSync(join(dir, 'cmdline'), cmdline.join('\0'));
  writeFileSync(
    join(dir, 'limits'),
    `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${openFilesLimit}                 20000                files\n`,
  );
  for (let fd = 0; fd < open; fd++) writeFileSync(join(dir, 'fd', String(fd)), '');
}

fakeProcess(10, ['/usr/bin/node', 'x.js'], 1024, 3);
fakeProcess(20, ['/usr/lib/erlang/erts-13/bin/beam.smp', '-W', 'w', '--', '-s', 'rabbit'], 1024, 300);

describe('RabbitMQ Web-STOMP capacity', () => {
  it('finds the broker’s Erlang VM among the processes', () => {
    expect(findRabbitPid(proc)).toBe(20);
  });

  it('reads the soft open-files limit', () => {
    expect(parseOpenFilesLimit('Max open files            1024                 20000                files')).toBe(1024);
    expect(parseOpenFilesLimit('Max processes 10 10')).toBeUndefined();
  });

  it('skips a load that would exhaust the broker’s descriptors, and allows one that fits', () => {
    expect(descriptorShortage(20, 102, proc)).toBeUndefined();
    expect(descriptorShortage(20, 1001, proc)).toMatch(/may open 1024 files and has 300 open: 1001 more/);
  });
});
