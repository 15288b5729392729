/** User-Agent prefix of the Application Load Balancer's health checker. */
const ELB_HEALTH_CHECKER = 'ELB-HealthChecker/';

/**
 * When the load balancer last health-checked this task. Every ALB node checks every registered
 * target each interval; a draining target is no longer checked, so a long silence after checks
 * have been arriving is a free, local hint that the task is being deregistered.
 */
export class HealthCheckTracker {
  private lastCheckAt: number | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** Called for every GET /healthz. */
  seen(userAgent: string | undefined): void {
    if (userAgent?.startsWith(ELB_HEALTH_CHECKER)) this.lastCheckAt = this.now();
  }

  /** How long since the last load balancer check; undefined until the first one arrived. */
  silentForMs(): number | undefined {
    return this.lastCheckAt === undefined ? undefined : this.now() - this.lastCheckAt;
  }
}
