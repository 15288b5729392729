import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { sleep } from './bounded.js';
import { stopChild, track } from './children.js';
import type { ServerBuild } from './server-build.js';

export interface ServerStartOptions {
  readonly build: ServerBuild;
  /** The script to run: the service (build.entry) or the floor server (build.floorEntry). */
  readonly entry: string;
  readonly port: number;
  readonly env: Readonly<Record<string, string>>;
  readonly logPath: string;
  /** Extra node flags, e.g. --cpu-prof. */
  readonly nodeArgs: readonly string[];
  readonly readyTimeoutMs: number;
}

/** One server process under test. */
export class ServerInstance {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly logPath: string,
  ) {}

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Why the process is gone, for error messages. */
  get exitDescription(): string {
    if (this.running) return 'still running';
    return this.child.signalCode ? `killed by ${this.child.signalCode}` : `exited with code ${this.child.exitCode}`;
  }

  static async start(options: ServerStartOptions): Promise<ServerInstance> {
    const log = openSync(options.logPath, 'a');
    let child: ChildProcess;
    try {
      child = track(
        spawn(process.execPath, [...options.nodeArgs, options.entry], {
          cwd: options.build.root,
          env: options.env,
          stdio: ['ignore', log, log],
        }),
      );
    } finally {
      // The child has its own copy of the descriptor.
      closeSync(log);
    }
    const server = new ServerInstance(child, options.port, options.logPath);
    try {
      await server.waitHealthy(options.readyTimeoutMs);
    } catch (error) {
      await server.stop(2_000);
      throw error;
    }
    return server;
  }

  /** SIGTERM (graceful drain), then SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<void> {
    return stopChild(this.child, graceMs);
  }

  logTail(lines = 20): string {
    try {
      return readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Polls GET /healthz until 200; bounded by the deadline and by the child dying. */
  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(`server ${this.exitDescription} during start; log tail:\n${this.logTail()}`);
      }
      if ((await httpStatus(`http://127.0.0.1:${this.port}/healthz`, 1_000)) === 200) return;
      await sleep(100);
    }
    throw new Error(`server not healthy after ${timeoutMs} ms; log tail:\n${this.logTail()}`);
  }
}

/** Status code of a GET, or 0 when the request fails or times out. */
function httpStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const request = get(url, { timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}
