import { fork, type ChildProcess } from 'node:child_process';
import { stopChild, track } from './children.js';
import { WORKER_ENTRY } from './paths.js';
import { isWorkerMessage, type CommandName, type Commands, type ReplyMessage } from './worker-protocol.js';

/** The orchestrator's handle on one load-worker process. */
export class WorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private exited = false;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: unknown) => {
      if (isWorkerMessage(message) && message.kind === 'reply') this.settle(message);
    });
    child.once('exit', (code, signal) => {
      this.exited = true;
      const error = new Error(`load worker ${name} exited (code ${code}, signal ${signal})`);
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    });
  }

  /** Forks a worker (the compiled load-worker.js next to this module unless `entry` says otherwise) and waits for its 'ready' message. */
  static start(name: string, timeoutMs: number, entry: string = WORKER_ENTRY): Promise<WorkerClient> {
    const child = track(
      fork(entry, [], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env, BENCH_WORKER_NAME: name },
      }),
    );
    const client = new WorkerClient(name, child);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`load worker ${name} not ready after ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.on('message', (message: unknown) => {
        if (isWorkerMessage(message) && message.kind === 'ready') {
          clearTimeout(timer);
          resolve(client);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`load worker ${name} exited before ready (code ${code})`));
      });
    });
  }

  /** Sends one command; rejects on worker error, worker exit or timeout. */
  request<K extends CommandName>(command: K, args: Commands[K][0], timeoutMs: number): Promise<Commands[K][1]> {
    if (this.exited) return Promise.reject(new Error(`load worker ${this.name} is not running`));
    const id = this.nextId++;
    return new Promise<Commands[K][1]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`load worker ${this.name}: ${command} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as Commands[K][1]);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ kind: 'request', id, command, args });
    });
  }

  async stop(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    await stopChild(this.child, 3_000);
  }

  private settle(message: ReplyMessage): void {
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`load worker ${this.name}: ${message.error}`));
  }
}
