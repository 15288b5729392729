import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import {
  documentDbMaxConnections,
  documentDbMemoryBytes,
  mysqlMaxConnections,
  rdsMemoryBytes,
} from '../config/database-capacity.js';
import type { RedisReplicationGroup } from './redis-replication-group.js';

export interface ChatMonitoringProps {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly service: ecs.FargateService;
  readonly maxTasks: number;
  /** Average active connections per task. */
  readonly connectionsPerTask: cloudwatch.Metric;
  readonly redis: RedisReplicationGroup;
  readonly mysql: rds.IDatabaseInstance;
  /** Storage the MySQL instance starts with, GiB; the free-space alarm fires at 10% of it. */
  readonly mysqlAllocatedStorageGiB: number;
  /** DocumentDB cluster identifier, for its CPU metric. */
  readonly documentDbClusterIdentifier: string;
  /** DocumentDB instance identifiers, for the per-instance connection and memory alarms. */
  readonly documentDbInstanceIdentifiers: readonly string[];
  /** Instance classes, for the connection and memory thresholds (database-capacity.ts). */
  readonly mysqlInstanceClass: string;
  readonly documentDbInstanceClass: string;
  /** Subscribed to the alarm topic when given. @default - no subscription */
  readonly alarmEmail?: string;
}

/** ElastiCache allows 65,000 clients per node; a task opens a handful. */
const REDIS_CONNECTIONS_ALARM = 5_000;

/**
 * Alarms on what breaks chat first (load balancer 5xx, unhealthy or maxed-out tasks, CPU of
 * the tasks, Redis and the databases, MySQL storage) into one SNS topic, and a dashboard.
 */
export class ChatMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ChatMonitoringProps) {
    super(scope, id);
    // Always created, so other subscribers (chat ops, paging) can be attached later.
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Chat backend alarms', enforceSSL: true });
    if (props.alarmEmail) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    const alb = props.loadBalancer.metrics;
    const elb5xx = alb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: Duration.minutes(5) });
    const target5xx = alb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(5) });
    const unhealthy = props.targetGroup.metrics.unhealthyHostCount({
      period: Duration.minutes(1),
      statistic: 'Maximum',
    });
    const serviceCpu = props.service.metricCpuUtilization({ period: Duration.minutes(1) });
    const serviceMemory = props.service.metricMemoryUtilization({ period: Duration.minutes(1) });
    const runningTasks = new cloudwatch.Metric({
      namespace: 'ECS/ContainerInsights',
      metricName: 'RunningTaskCount',
      dimensionsMap: { ClusterName: props.service.cluster.clusterName, ServiceName: props.service.serviceName },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
    });
    const redisCpu = props.redis.metricMaxOverNodes('EngineCPUUtilization');
    const redisMemory = props.redis.metricMaxOverNodes('DatabaseMemoryUsagePercentage');
    const mysqlCpu = props.mysql.metricCPUUtilization({ period: Duration.minutes(5) });
    const mysqlFreeStorage = props.mysql.metricFreeStorageSpace({ period: Duration.minutes(5), statistic: 'Minimum' });
    const docdbCpu = new cloudwatch.Metric({
      namespace: 'AWS/DocDB',
      metricName: 'CPUUtilization',
      dimensionsMap: { DBClusterIdentifier: props.documentDbClusterIdentifier },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(5),
    });

    const gib = 1024 ** 3;
    this.alarm(
      'LoadBalancer5xx',
      elb5xx,
      10,
      'The load balancer answered ≥ 10 5xx in 5 minutes (no healthy target, or targets failing).',
      {
        missing: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
    );
    this.alarm('Target5xx', target5xx, 10, 'The service answered ≥ 10 5xx in 5 minutes.', {
      missing: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm('UnhealthyTargets', unhealthy, 1, 'At least one task fails the /healthz check for 3 of 5 minutes.', {
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      missing: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm(
      'ServiceCpuHigh',
      serviceCpu,
      85,
      'Task CPU above 85% for 5 minutes: scaling is not keeping up or maxTasks is reached.',
      {
        evaluationPeriods: 5,
      },
    );
    this.alarm(
      'ServiceAtMaxTasks',
      runningTasks,
      props.maxTasks,
      `The service runs its maximum of ${props.maxTasks} tasks for 15 minutes; raise maxTasks.`,
      {
        evaluationPeriods: 15,
        missing: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
    );
    this.alarm(
      'RedisEngineCpuHigh',
      redisCpu,
      75,
      'A Redis node spends > 75% of its single engine thread for 15 minutes.',
      {
        evaluationPeriods: 3,
      },
    );
    this.alarm(
      'RedisMemoryHigh',
      redisMemory,
      80,
      'A Redis node uses > 80% of its memory (room logs, presence); consider a larger node type.',
      {
        evaluationPeriods: 3,
      },
    );
    this.alarm('MysqlCpuHigh', mysqlCpu, 80, 'MySQL CPU above 80% for 15 minutes.', { evaluationPeriods: 3 });
    this.alarm(
      'MysqlFreeStorageLow',
      mysqlFreeStorage,
      Math.max(2, Math.round(props.mysqlAllocatedStorageGiB * 0.1)) * gib,
      'MySQL free storage below 10% of its initial size (storage autoscaling may be at its ceiling).',
      { comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD },
    );
    this.alarm('DocumentDbCpuHigh', docdbCpu, 80, 'A DocumentDB instance above 80% CPU for 15 minutes.', {
      evaluationPeriods: 3,
    });

    this.addCapacityAlarms(props, serviceMemory);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Connections per task / tasks',
            left: [props.connectionsPerTask],
            right: [runningTasks],
            width: 8,
          }),
          new cloudwatch.GraphWidget({ title: 'Task CPU / memory %', left: [serviceCpu, serviceMemory], width: 8 }),
          new cloudwatch.GraphWidget({
            title: 'Load balancer',
            left: [
              alb.requestCount({ period: Duration.minutes(1) }),
              alb.newConnectionCount({ period: Duration.minutes(1) }),
            ],
            right: [elb5xx, target5xx],
            width: 8,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Redis engine CPU / memory % (max node)',
            left: [redisCpu, redisMemory],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'MySQL CPU % / free storage',
            left: [mysqlCpu],
            right: [mysqlFreeStorage],
            width: 8,
          }),
          new cloudwatch.GraphWidget({ title: 'DocumentDB CPU %', left: [docdbCpu], width: 8 }),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })],
      ],
    });
  }

  /**
   * Alarms for running out of something before CPU shows it: connections, memory, replication,
   * the load balancer's own limit, and the scaling metric going silent.
   */
  private addCapacityAlarms(props: ChatMonitoringProps, serviceMemory: cloudwatch.IMetric): void {
    const fiveMinutes = Duration.minutes(5);
    const below = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;
    this.alarm(
      'ServiceMemoryHigh',
      serviceMemory,
      85,
      'Task memory above 85% for 5 minutes (a leak, or too many connections per task).',
      {
        evaluationPeriods: 5,
      },
    );
    // Target tracking on ActiveConnections does nothing when the metric stops: no data is breaching.
    const connectionReports = props.connectionsPerTask.with({ statistic: cloudwatch.Stats.SAMPLE_COUNT });
    this.alarm(
      'ActiveConnectionsMissing',
      connectionReports,
      1,
      'No task reported ActiveConnections for 5 minutes: connection-based scaling is blind (tasks down, or the EMF log line broken).',
      { evaluationPeriods: 5, comparison: below, missing: cloudwatch.TreatMissingData.BREACHING },
    );
    this.alarm(
      'LoadBalancerRejectedConnections',
      props.loadBalancer.metrics.rejectedConnectionCount({ period: fiveMinutes, statistic: 'Sum' }),
      1,
      'The load balancer rejected connections (it reached its connection limit).',
      { missing: cloudwatch.TreatMissingData.NOT_BREACHING },
    );

    const mysqlConnectionLimit = mysqlMaxConnections(props.mysqlInstanceClass);
    this.alarm(
      'MysqlConnectionsHigh',
      props.mysql.metricDatabaseConnections({ period: fiveMinutes, statistic: 'Maximum' }),
      Math.floor(mysqlConnectionLimit * 0.8),
      `MySQL connections above 80% of max_connections (~${mysqlConnectionLimit} on ${props.mysqlInstanceClass}).`,
      { evaluationPeriods: 2 },
    );
    this.alarm(
      'MysqlFreeableMemoryLow',
      props.mysql.metricFreeableMemory({ period: fiveMinutes, statistic: 'Minimum' }),
      Math.round(rdsMemoryBytes(props.mysqlInstanceClass) * 0.1),
      'MySQL freeable memory below 10% of the instance memory for 15 minutes.',
      { evaluationPeriods: 3, comparison: below },
    );

    const docdbLimit = documentDbMaxConnections(props.documentDbInstanceClass);
    // The worst instance: any of them can be the writer after a failover.
    const worstInstance = (metricName: string, aggregate: 'MAX' | 'MIN', label: string) => {
      const usingMetrics: Record<string, cloudwatch.IMetric> = {};
      props.documentDbInstanceIdentifiers.forEach((instance, index) => {
        usingMetrics[`${metricName.toLowerCase()}_${index + 1}`] = new cloudwatch.Metric({
          namespace: 'AWS/DocDB',
          metricName,
          dimensionsMap: { DBInstanceIdentifier: instance },
          statistic: aggregate === 'MAX' ? cloudwatch.Stats.MAXIMUM : cloudwatch.Stats.MINIMUM,
          period: fiveMinutes,
        });
      });
      const expression = `${aggregate}([${Object.keys(usingMetrics).join(',')}])`;
      return new cloudwatch.MathExpression({ expression, usingMetrics, label, period: fiveMinutes });
    };
    this.alarm(
      'DocumentDbConnectionsHigh',
      worstInstance('DatabaseConnections', 'MAX', 'DocumentDB connections (max over instances)'),
      Math.floor(docdbLimit * 0.8),
      `A DocumentDB instance above 80% of its ${docdbLimit}-connection limit (${props.documentDbInstanceClass}).`,
      { evaluationPeriods: 2 },
    );
    this.alarm(
      'DocumentDbFreeableMemoryLow',
      worstInstance('FreeableMemory', 'MIN', 'DocumentDB freeable memory (min over instances)'),
      Math.round(documentDbMemoryBytes(props.documentDbInstanceClass) * 0.1),
      'A DocumentDB instance has less than 10% of its memory free for 15 minutes.',
      { evaluationPeriods: 3, comparison: below },
    );

    this.alarm(
      'RedisConnectionsHigh',
      props.redis.metricMaxOverNodes('CurrConnections'),
      REDIS_CONNECTIONS_ALARM,
      `A Redis node holds over ${REDIS_CONNECTIONS_ALARM} client connections; each task opens a handful, so this is a connection leak or a reconnect storm.`,
      { evaluationPeriods: 2 },
    );
    if (props.redis.nodeCount > 1) {
      this.alarm(
        'RedisReplicationLagHigh',
        props.redis.metricMaxOverNodes('ReplicationLag', Duration.minutes(1)),
        5,
        'A Redis replica is more than 5 s behind the primary for 5 minutes: a failover now would lose recent sequences and presence.',
        { evaluationPeriods: 5, missing: cloudwatch.TreatMissingData.NOT_BREACHING },
      );
    }
  }

  private alarm(
    id: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    description: string,
    options: {
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
      comparison?: cloudwatch.ComparisonOperator;
      missing?: cloudwatch.TreatMissingData;
    } = {},
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      alarmDescription: description,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm,
      comparisonOperator: options.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: options.missing ?? cloudwatch.TreatMissingData.MISSING,
    });
    const action = new actions.SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
  }
}
