import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './paths.js';

/**
 * What the service's own JavaScript costs per delivery and per SEND, without `ws` or the kernel:
 * real StompSessions (the test harness's wiring: in-process backplane, dev authentication) over
 * sockets that only count bytes, one publisher sending with receipts to one topic. Given a
 * second build's root (a directory with its own compiled dist/), both run in this one process,
 * rounds interleaved, so the ratio holds on a busy machine where separate runs would not.
 *
 *   node dist/bench/js-path.js [other-build-root] [--subscribers N] [--messages N] [--rounds N]
 *
 * Only ratios within one run mean anything; the scenarios in run.ts are what targets use.
 */

interface HarnessLike {
  clock: number;
  readonly context: unknown;
}
type SessionLike = { receive(data: Buffer): void };
type SessionClass = new (socket: CountingSocket, context: unknown) => SessionLike;

class CountingSocket {
  frames = 0;
  bufferedAmount = 0;
  send(): void {
    this.frames++;
  }
  close(): void {}
  ping(): void {}
}

function frame(command: string, headers: Array<[string, string]>, body = ''): Buffer {
  const lines = headers.map(([name, value]) => `${name}:${value}\n`).join('');
  return Buffer.from(`${command}\n${lines}\n${body}\0`);
}

const settle = (): Promise<void> => new Promise((done) => setImmediate(done));

async function prepare(root: string, subscribers: number, messages: number): Promise<() => Promise<number>> {
  const load = (path: string) => import(pathToFileURL(resolve(root, 'dist', path)).href);
  const { SessionHarness } = (await load('test/support/session-harness.js')) as {
    SessionHarness: new () => HarnessLike;
  };
  const { StompSession } = (await load('app/src/realtime/stomp-session.js')) as { StompSession: SessionClass };
  const harness = new SessionHarness();
  const open = async (login: string): Promise<{ socket: CountingSocket; session: SessionLike }> => {
    const socket = new CountingSocket();
    const session = new StompSession(socket, harness.context);
    session.receive(
      frame('CONNECT', [
        ['accept-version', '1.2'],
        ['host', 'bench'],
        ['login', login],
      ]),
    );
    await settle();
    return { socket, session };
  };
  const sockets: CountingSocket[] = [];
  for (let i = 0; i < subscribers; i++) {
    const { socket, session } = await open(`subscriber-${i}`);
    session.receive(
      frame('SUBSCRIBE', [
        ['id', 'sub-0'],
        ['destination', '/topic/bench'],
      ]),
    );
    await settle();
    sockets.push(socket);
  }
  const publisher = await open('publisher');
  const body = 'x'.repeat(128);
  const delivered = () => sockets.reduce((sum, socket) => sum + socket.frames, 0);
  return async () => {
    const before = delivered();
    const started = process.cpuUsage();
    for (let i = 0; i < messages; i++) {
      harness.clock += 1_000; // keeps the send-rate limiter out of the way
      publisher.session.receive(
        frame(
          'SEND',
          [
            ['destination', '/topic/bench'],
            ['content-type', 'text/plain'],
            ['receipt', `r${i}`],
          ],
          body,
        ),
      );
      if (i % 50 === 49) await settle();
    }
    await settle();
    await settle();
    const used = process.cpuUsage(started);
    const count = delivered() - before;
    if (count !== subscribers * messages) throw new Error(`${root}: ${count} of ${subscribers * messages} delivered`);
    return (used.user + used.system) / count;
  };
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];
const spread = (values: number[]): string =>
  `median ${median(values).toFixed(3)} µs (${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)})`;

async function main(): Promise<void> {
  const other = process.argv[2]?.startsWith('--') ? undefined : process.argv[2];
  const subscribers = option('subscribers', 100);
  const messages = option('messages', 2_000);
  const rounds = option('rounds', 8);
  const roots = [REPO_ROOT, ...(other === undefined ? [] : [resolve(other)])];
  const runs = await Promise.all(roots.map((root) => prepare(root, subscribers, messages)));
  for (const run of runs) await run(); // warm-up
  const results: number[][] = roots.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? runs.keys() : [...runs.keys()].reverse();
    for (const index of order) results[index].push(await runs[index]());
  }
  console.log(`${subscribers} subscribers, ${messages} SENDs with receipts per round, ${rounds} rounds`);
  roots.forEach((root, index) => console.log(`${root}: JS per delivery ${spread(results[index])}`));
  if (roots.length === 2) console.log(`this build ÷ other: ${(median(results[0]) / median(results[1])).toFixed(3)}`);
}

await main();
