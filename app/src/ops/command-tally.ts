import { Counter, type Registry } from 'prom-client';

/**
 * A per-command frame count kept in plain numbers on the hot path and added to a Prometheus
 * counter only when the registry is scraped. Counting is one map lookup and an increment; the
 * counter's own inc() validates its arguments and hashes labels on every call.
 */
export class CommandTally {
  // Boxed counts: incrementing a field is cheaper than writing the map again.
  private readonly pending = new Map<string, { n: number }>();

  count(command: string): void {
    const box = this.pending.get(command);
    if (box !== undefined) box.n++;
    else this.pending.set(command, { n: 1 });
  }

  /** Registers `name` (labelled by command) as a counter fed from this tally at each scrape. */
  export(registry: Registry, name: string, help: string): void {
    const pending = this.pending;
    new Counter({
      name,
      help,
      labelNames: ['command'],
      registers: [registry],
      collect() {
        for (const [command, box] of pending) {
          if (box.n === 0) continue;
          this.inc({ command }, box.n);
          box.n = 0;
        }
      },
    });
  }
}
