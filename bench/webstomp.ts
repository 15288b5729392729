/**
 * RabbitMQ Web-STOMP for the `webstomp-*` scenarios: the local broker with its Web-STOMP plugin
 * (enabled here when it is not), and the broker's Erlang VM process, whose CPU and memory are
 * what those scenarios measure. Unavailable → the scenarios are skipped with the reason.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { sleep } from './bounded.js';
import { log } from './log.js';
import type { Availability } from './services.js';

export const DEFAULT_WEBSTOMP_URL = 'ws://127.0.0.1:15674/ws';
const PLUGIN = 'rabbitmq_web_stomp';
const ENABLE_TIMEOUT_MS = 60_000;
const LISTEN_WAIT_MS = 20_000;

export interface BenchWebStomp {
  readonly url: string;
  readonly availability: Availability;
  /** The broker's beam.smp process (CPU and RSS are read from it). */
  readonly pid: number;
}

/** WEBSTOMP_URL, else the plugin's default listener. */
export function resolveWebStompUrl(env: Readonly<Record<string, string | undefined>>): string {
  return env['WEBSTOMP_URL'] || DEFAULT_WEBSTOMP_URL;
}

/** Whether a TCP connection to host:port succeeds within the timeout. */
export function tcpOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The pid of a RabbitMQ node's Erlang VM on this machine, or undefined. */
export function findRabbitPid(procDir = '/proc'): number | undefined {
  for (const entry of readdirSync(procDir)) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`${procDir}/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (args[0]?.endsWith('beam.smp') && args.some((arg) => arg.includes('rabbit'))) return Number(entry);
  }
  return undefined;
}

function run(command: string, args: readonly string[], timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, [...args], { timeout: timeoutMs }, (error, _stdout, stderr) =>
      resolve(error ? `${error.message.split('\n')[0]} ${String(stderr).trim().slice(0, 200)}`.trim() : undefined),
    );
  });
}

/**
 * Probes the Web-STOMP listener; when nothing listens on a local URL, enables the plugin with
 * `rabbitmq-plugins enable` and waits for the listener. Never throws.
 */
export async function openWebStomp(url: string): Promise<BenchWebStomp> {
  const unavailable = (reason: string): BenchWebStomp => ({ url, pid: -1, availability: { available: false, reason } });
  const { hostname, port } = new URL(url);
  const listenPort = Number(port || '80');
  const pid = findRabbitPid();
  if (pid === undefined) return unavailable('no RabbitMQ node (beam.smp) on this machine whose CPU could be measured');
  if (!(await tcpOpen(hostname, listenPort))) {
    log(`Web-STOMP not listening at ${url}: rabbitmq-plugins enable ${PLUGIN}`);
    const failure = await run('rabbitmq-plugins', ['enable', PLUGIN], ENABLE_TIMEOUT_MS);
    if (failure !== undefined) return unavailable(`could not enable ${PLUGIN}: ${failure}`);
    const deadline = Date.now() + LISTEN_WAIT_MS;
    while (!(await tcpOpen(hostname, listenPort))) {
      if (Date.now() > deadline) return unavailable(`${PLUGIN} enabled, but nothing listens at ${url}`);
      await sleep(500);
    }
  }
  return { url, pid, availability: { available: true } };
}

/** The soft "Max open files" limit in a /proc/<pid>/limits text, or undefined. */
export function parseOpenFilesLimit(limits: string): number | undefined {
  const match = /^Max open files\s+(\d+)/m.exec(limits);
  return match ? Number(match[1]) : undefined;
}

/** Descriptors kept free for the broker's own files, AMQP clients and other users. */
const FD_HEADROOM = 200;

/**
 * Why the broker cannot take `connections` more Web-STOMP connections without running out of
 * file descriptors (each is a socket there), or undefined. Running out makes RabbitMQ refuse
 * connections for everyone using it, so such a scenario is skipped rather than run.
 */
export function descriptorShortage(pid: number, connections: number, procDir = '/proc'): string | undefined {
  let limit: number | undefined;
  let open: number;
  try {
    limit = parseOpenFilesLimit(readFileSync(`${procDir}/${pid}/limits`, 'utf8'));
    open = readdirSync(`${procDir}/${pid}/fd`).length;
  } catch {
    return undefined;
  }
  if (limit === undefined || open + connections + FD_HEADROOM <= limit) return undefined;
  return (
    `the RabbitMQ node may open ${limit} files and has ${open} open: ${connections} more Web-STOMP connections ` +
    `(+${FD_HEADROOM} spare) would exhaust them for everyone using the broker; raise its LimitNOFILE to run this`
  );
}
