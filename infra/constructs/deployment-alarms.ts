import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface DeploymentAlarmsProps {
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** Where the alarms notify (the stage's alarm topic). */
  readonly topic: sns.ITopic;
  /**
   * Prefix of the alarm names, unique per account and region (the stack name). The names are
   * literal so the service's DeploymentConfiguration can name them without a reference.
   */
  readonly namePrefix: string;
}

/** Connections the load balancer must have had before a drop counts (quiet stages stay quiet). */
const MIN_CONNECTIONS_FOR_DROP = 100;

/**
 * Fast alarms (one-minute periods) that ECS watches during a deployment and its bake time:
 * if one goes to ALARM, ECS rolls the service back to the last completed deployment, next to
 * the circuit breaker, which only sees tasks that fail to start or stay unhealthy.
 *
 * - 5xx from the targets or the load balancer itself;
 * - unhealthy targets;
 * - connections dropped: half of the load balancer's active connections gone within a minute.
 *   A healthy rolling deploy drains old tasks over a minute with jittered reconnects, so the
 *   total stays level; a release whose tasks refuse or drop WebSockets does not.
 */
export class DeploymentAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: DeploymentAlarmsProps) {
    super(scope, id);
    const minute = Duration.minutes(1);
    const alb = props.loadBalancer.metrics;

    this.add(props, 'Target5xx', {
      metric: alb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: minute }),
      threshold: 10,
      description: 'Deployment guard: the service answered ≥ 10 5xx a minute for 2 minutes.',
      evaluationPeriods: 2,
    });
    this.add(props, 'LoadBalancer5xx', {
      metric: alb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: minute }),
      threshold: 10,
      description: 'Deployment guard: the load balancer answered ≥ 10 5xx a minute for 2 minutes.',
      evaluationPeriods: 2,
    });
    this.add(props, 'UnhealthyTargets', {
      metric: props.targetGroup.metrics.unhealthyHostCount({ period: minute, statistic: 'Maximum' }),
      threshold: 1,
      description: 'Deployment guard: a target failed the /healthz check in 2 of 3 minutes.',
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    const connections = alb.activeConnectionCount({ period: minute, statistic: 'Sum' });
    this.add(props, 'ConnectionsDropped', {
      metric: new cloudwatch.MathExpression({
        // Percent of the previous minute's connections that are gone; 0 while there were too few.
        expression: `IF((c - DIFF(c)) >= ${MIN_CONNECTIONS_FOR_DROP}, -100 * DIFF(c) / (c - DIFF(c)), 0)`,
        usingMetrics: { c: connections },
        period: minute,
        label: 'Active connections dropped within a minute, %',
      }),
      threshold: 50,
      description: `Deployment guard: half of the load balancer's active connections (≥ ${MIN_CONNECTIONS_FOR_DROP}) went away within a minute.`,
      evaluationPeriods: 1,
    });

    props.service.enableDeploymentAlarms(
      this.alarms.map((a) => alarmName(props.namePrefix, a.node.id)),
      { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
    );
  }

  private add(
    props: DeploymentAlarmsProps,
    id: string,
    options: {
      metric: cloudwatch.IMetric;
      threshold: number;
      description: string;
      evaluationPeriods: number;
      datapointsToAlarm?: number;
    },
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: alarmName(props.namePrefix, id),
      metric: options.metric,
      threshold: options.threshold,
      alarmDescription: options.description,
      evaluationPeriods: options.evaluationPeriods,
      datapointsToAlarm: options.datapointsToAlarm,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No traffic is no evidence against the release.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const action = new actions.SnsAction(props.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
  }
}

function alarmName(prefix: string, id: string): string {
  return `${prefix}-deploy-${id}`;
}
