import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/**
 * The service as production runs it: the bundle of the compiled tree (app/build-bundle.mjs).
 * `npm test` builds it first; run `npm run build` before a file alone.
 */
export const COMPILED_MAIN = 'dist/app/src/bundle/main.js';
/** The bundle's esbuild metafile: which chunk holds which source file. */
export const COMPILED_MAIN_META = 'dist/app/src/bundle/meta.json';

/** One instance of the compiled service as its own OS process, so a test can SIGKILL or SIGTERM it. */
export class ServerProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts it on an ephemeral port and resolves once it logs that it listens. */
  static async start(env: Record<string, string>, nodeArgs: readonly string[] = []): Promise<ServerProcess> {
    const child = spawn(process.execPath, [...nodeArgs, COMPILED_MAIN], {
      env: { PATH: process.env['PATH'], HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
      lines.on('line', (line) => {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening' && entry.port !== undefined) resolve(entry.port);
      });
    });
    return new ServerProcess(child, port);
  }

  /** Sends `signal` and resolves with the exit code (null when killed by the signal). */
  async stop(signal: NodeJS.Signals): Promise<number | null> {
    if (!this.running) return this.child.exitCode;
    const exited = once(this.child, 'exit') as Promise<[number | null]>;
    this.child.kill(signal);
    const [code] = await exited;
    return code;
  }
}
