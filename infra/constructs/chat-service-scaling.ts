import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';

export interface ChatServiceScalingProps {
  readonly service: ecs.FargateService;
  readonly minTasks: number;
  readonly maxTasks: number;
  /** @default 60 */
  readonly cpuTargetPercent?: number;
  /** Value of the `Service` dimension the tasks put on their ActiveConnections metric. */
  readonly metricsServiceName: string;
  /** Connections per task to aim for. @default 4000 */
  readonly connectionsPerTaskTarget?: number;
  /** React to load quickly. @default Duration.seconds(60) */
  readonly scaleOutCooldown?: Duration;
  /**
   * Scale in slowly: every removed task forces its clients to reconnect elsewhere.
   * @default Duration.seconds(600)
   */
  readonly scaleInCooldown?: Duration;
}

/** CloudWatch namespace and metric name the app emits in embedded metric format. */
export const CONNECTIONS_METRIC = { namespace: 'ChatBackend', metricName: 'ActiveConnections' } as const;

/**
 * Task-count autoscaling on two signals: CPU (fan-out cost) and open WebSocket connections
 * per task (memory and fairness). Target tracking scales out when either is above its target
 * and scales in only when both allow it.
 */
export class ChatServiceScaling extends Construct {
  /** Average ActiveConnections per task, the metric the connection policy tracks. */
  readonly connectionsPerTask: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: ChatServiceScalingProps) {
    super(scope, id);
    const scaleOutCooldown = props.scaleOutCooldown ?? Duration.seconds(60);
    const scaleInCooldown = props.scaleInCooldown ?? Duration.seconds(600);

    // Every task reports its own count under the same dimensions, so the Average
    // statistic over the fleet is the per-task value target tracking needs.
    this.connectionsPerTask = new cloudwatch.Metric({
      ...CONNECTIONS_METRIC,
      dimensionsMap: { Service: props.metricsServiceName },
      statistic: cloudwatch.Stats.AVERAGE,
      period: Duration.minutes(1),
      label: 'Active connections per task',
    });

    const scaling = props.service.autoScaleTaskCount({
      minCapacity: props.minTasks,
      maxCapacity: props.maxTasks,
    });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: props.cpuTargetPercent ?? 60,
      scaleOutCooldown,
      scaleInCooldown,
    });
    scaling.scaleToTrackCustomMetric('ActiveConnections', {
      metric: this.connectionsPerTask,
      targetValue: props.connectionsPerTaskTarget ?? 4000,
      scaleOutCooldown,
      scaleInCooldown,
    });
  }
}
