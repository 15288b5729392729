import { existsSync } from 'node:fs';

/**
 * A server the bench measures but does not own (the RabbitMQ node): read through /proc like the
 * servers it starts, never stopped by it.
 */
export class ExternalServer {
  constructor(
    readonly pid: number,
    readonly port: number,
    private readonly description: string,
  ) {}

  get running(): boolean {
    return existsSync(`/proc/${this.pid}/stat`);
  }

  get exitDescription(): string {
    return this.running ? 'still running' : `(${this.description}, pid ${this.pid}) is gone`;
  }

  logTail(): string {
    return `(${this.description}: its log is the broker's own)`;
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}
