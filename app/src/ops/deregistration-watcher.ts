import {
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Log } from './log.port.js';

/** This task as the load balancer knows it. */
export interface TargetAddress {
  readonly id: string;
  readonly port: number;
}

// States in which the ALB sends this task no new connections and will cut the open ones when
// the deregistration delay ends.
const LEAVING_STATES = new Set(['draining', 'unhealthy.draining']);

/** A local, free signal that the load balancer may have let go of this task. */
export interface DeregistrationHint {
  /** How long the load balancer's health checks have been silent; undefined before the first. */
  silentForMs(): number | undefined;
}

/**
 * On ECS, a deploy or scale-in first deregisters the task from the target group and waits the
 * deregistration delay, and only then sends SIGTERM — by which time the ALB has already cut every
 * WebSocket. So the instance starts the graceful drain itself as soon as the ALB says "draining";
 * SIGTERM remains the backstop.
 *
 * It does not poll the ELB API for its whole life (at 30 tasks every 10 s that was ~3 requests/s,
 * through NAT, and throttling made the drain fall back to SIGTERM). It asks DescribeTargetHealth
 * only while the hint says the health checks went quiet — which they do for a draining target —
 * so a task in service makes no API call at all, and a false hint costs one call per tick.
 */
export class DeregistrationWatcher {
  private timer: NodeJS.Timeout | undefined;
  private target: TargetAddress | undefined;
  private fired = false;

  constructor(
    private readonly client: ElasticLoadBalancingV2Client,
    private readonly targetGroupArn: string,
    private readonly locate: () => Promise<TargetAddress>,
    private readonly pollMs: number,
    private readonly onDeregistered: () => void,
    private readonly log: Log,
    private readonly hint: DeregistrationHint,
    /** Health-check silence that makes the watcher ask the ELB API. */
    private readonly silenceMs: number,
  ) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
  }

  /** One timer tick: a local look at the hint, and an API call only when it points at draining. */
  async tick(): Promise<string | undefined> {
    const silentFor = this.hint.silentForMs();
    if (silentFor === undefined || silentFor < this.silenceMs) return undefined;
    return this.poll();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look at the target's state; fires the callback once when it is leaving. */
  async poll(): Promise<string | undefined> {
    try {
      this.target ??= await this.locate();
      const response = await this.client.send(
        new DescribeTargetHealthCommand({
          TargetGroupArn: this.targetGroupArn,
          Targets: [{ Id: this.target.id, Port: this.target.port }],
        }),
      );
      const state = response.TargetHealthDescriptions?.[0]?.TargetHealth?.State;
      if (state !== undefined && LEAVING_STATES.has(state) && !this.fired) {
        this.fired = true;
        this.stop();
        this.log.info({ state, target: this.target.id }, 'deregistered from the load balancer: draining');
        this.onDeregistered();
      }
      return state;
    } catch (error) {
      // A failed look is retried on the next tick; SIGTERM still drains if this never works.
      this.log.warn({ err: error }, 'could not read target health');
      return undefined;
    }
  }
}

/** The task's private IP from the ECS container metadata endpoint (awsvpc networking). */
export async function taskAddressFromMetadata(
  metadataUri: string,
  port: number,
  fetchJson: (url: string) => Promise<unknown> = async (url) => (await fetch(url)).json(),
): Promise<TargetAddress> {
  const metadata = (await fetchJson(metadataUri)) as { Networks?: Array<{ IPv4Addresses?: string[] }> };
  const address = metadata.Networks?.[0]?.IPv4Addresses?.[0];
  if (address === undefined) throw new Error('ECS metadata has no IPv4 address for this task');
  return { id: address, port };
}
