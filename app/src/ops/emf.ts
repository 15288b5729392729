/**
 * CloudWatch embedded metric format: a JSON line on stdout that the awslogs driver turns into
 * a metric, with no SDK call and no agent. The autoscaling policy tracks ActiveConnections.
 */
export const EMF_NAMESPACE = 'ChatBackend';

export function formatEmfLine(service: string, activeConnections: number, timestampMs: number): string {
  return JSON.stringify({
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [
        {
          Namespace: EMF_NAMESPACE,
          Dimensions: [['Service']],
          Metrics: [{ Name: 'ActiveConnections', Unit: 'Count' }],
        },
      ],
    },
    Service: service,
    ActiveConnections: activeConnections,
  });
}

/** Writes the EMF line every interval; an interval of 0 turns it off (development). */
export class EmfReporter {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly service: string,
    private readonly intervalMs: number,
    private readonly activeConnections: () => number,
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer !== undefined) return;
    this.timer = setInterval(() => this.report(), this.intervalMs);
    this.timer.unref();
  }

  report(): void {
    this.write(formatEmfLine(this.service, this.activeConnections(), Date.now()));
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
