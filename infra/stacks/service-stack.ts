import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ClientTopicSettings } from '../config/client-topics.js';
import type { ServiceSettings, WafSettings } from '../config/stages.js';
import { AccessLogBucket } from '../constructs/access-log-bucket.js';
import { ChatFargateService } from '../constructs/chat-fargate-service.js';
import { ChatImage } from '../constructs/chat-image.js';
import { ChatLoadBalancer } from '../constructs/chat-load-balancer.js';
import { ChatMonitoring } from '../constructs/chat-monitoring.js';
import { ChatServiceScaling } from '../constructs/chat-service-scaling.js';
import { ChatTaskDefinition } from '../constructs/chat-task-definition.js';
import {
  databaseEnvironment,
  definedOnly,
  migrationSecrets,
  serviceEnvironment,
  serviceSecrets,
  type TaskData,
} from '../constructs/chat-task-environment.js';
import { acknowledgeTaskFindings } from '../constructs/chat-task-findings.js';
import { DeploymentAlarms } from '../constructs/deployment-alarms.js';
import { ChatWebAcl } from '../constructs/chat-web-acl.js';
import { MigrationRunner } from '../constructs/migration-runner.js';
import { PUBLIC_SUBNETS, SERVICE_SUBNETS } from './network-stack.js';

/** Container port of the chat server. */
export const CONTAINER_PORT = 8080;
/** Port of the ops listener (/metrics, /readyz, /docs): inside the VPC only, never behind the ALB. */
export const OPS_PORT = 9090;
/** Target group health check interval; the drain's health-check silence is derived from it. */
export const HEALTH_CHECK_INTERVAL = Duration.seconds(15);
/** RDS CA bundle baked into the image by the Dockerfile; DocumentDB and MySQL TLS trust it. */
export const RDS_CA_BUNDLE = '/app/certs/global-bundle.pem';
/** Log stream prefix of the migration task. */
const MIGRATION_LOG_STREAM_PREFIX = 'migrate';

export interface ServiceStackProps extends StackProps {
  readonly vpc: ec2.IVpc;
  readonly albSecurityGroup: ec2.ISecurityGroup;
  readonly serviceSecurityGroup: ec2.ISecurityGroup;
  /** Endpoints and secrets of the data stores. */
  readonly data: TaskData;
  /** Sizing, scaling and logging of the service. */
  readonly service: ServiceSettings;
  /** Directory with the Dockerfile: the repository root. */
  readonly imageDirectory: string;
  /**
   * Value of METRICS_SERVICE_NAME, the `Service` dimension of the ActiveConnections metric.
   * Not a resource name: it only has to be unique per deployment within an account/region.
   */
  readonly metricsServiceName: string;
  /** ACM certificate for HTTPS. @default - HTTP only */
  readonly certificateArn?: string;
  /** Public host name, only reported in an output. @default - none */
  readonly domainName?: string;
  /** @default - alarms go to an SNS topic without subscribers */
  readonly alarmEmail?: string;
  /**
   * Browser origins allowed to open a WebSocket, passed as ALLOWED_ORIGINS.
   * @default - not set: the app accepts any origin
   */
  readonly allowedOrigins?: readonly string[];
  /** Deletion protection on the load balancer. @default false */
  readonly deletionProtection?: boolean;
  /** Initial MySQL storage, for the free-storage alarm threshold, GiB. */
  readonly mysqlAllocatedStorageGiB: number;
  /** Replicas a receipt waits for (RECEIPT_WAIT_REPLICAS); 0 leaves the app's default (no waiting). */
  readonly receiptWaitReplicas: number;
  /** Instance classes, for the connection budget (Mongo pool) and the memory/connection alarms. */
  readonly mysqlInstanceClass: string;
  readonly documentDbInstanceClass: string;
  /** AWS WAF rate limits. */
  readonly waf: WafSettings;
  /** Topics clients may SEND to directly, passed as STOMP_CLIENT_*. @default - none (deny all) */
  readonly clientTopics?: ClientTopicSettings;
}

/**
 * The chat service: ECS cluster, the image built from the repository's Dockerfile, the
 * Fargate service behind an ALB, autoscaling, the once-per-deploy migration task, alarms
 * and a dashboard.
 */
export class ServiceStack extends Stack {
  readonly cluster: ecs.Cluster;
  readonly service: ecs.FargateService;
  readonly loadBalancer: ChatLoadBalancer;
  readonly migration: MigrationRunner;
  readonly serviceTask: ChatTaskDefinition;
  readonly migrationTask: ChatTaskDefinition;

  readonly webAcl: ChatWebAcl;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    // Nothing depends on this stack, but deleting it is an outage: protected where data is.
    super(scope, id, { ...props, terminationProtection: props.deletionProtection ?? false });
    const { data, service: settings } = props;
    const { drain } = settings;
    const retention = settings.logRetentionDays as logs.RetentionDays;

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      enableFargateCapacityProviders: settings.fargateSpot !== undefined,
    });

    // One asset for both task definitions; its hash also identifies the migration run.
    const imageAsset = new ChatImage(this, 'Image', { directory: props.imageDirectory });
    const image = ecs.ContainerImage.fromDockerImageAsset(imageAsset);

    const logGroup = new logs.LogGroup(this, 'Logs', { retention, removalPolicy: RemovalPolicy.DESTROY });

    const accessLogs = new AccessLogBucket(this, 'AccessLogs');
    this.loadBalancer = new ChatLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      vpcSubnets: PUBLIC_SUBNETS,
      securityGroup: props.albSecurityGroup,
      accessLogs,
      certificateArn: props.certificateArn,
      deletionProtection: props.deletionProtection,
      targetPort: CONTAINER_PORT,
      deregistrationDelay: Duration.seconds(drain.deregistrationDelaySeconds),
      healthCheckInterval: HEALTH_CHECK_INTERVAL,
    });
    this.webAcl = new ChatWebAcl(this, 'WebAcl', {
      loadBalancerArn: this.loadBalancer.loadBalancer.loadBalancerArn,
      authRequestsPer5Min: props.waf.authRequestsPer5Min,
      upgradeRequestsPer5Min: props.waf.upgradeRequestsPer5Min,
      metricPrefix: props.metricsServiceName,
    });

    const serviceEnvironmentValues = serviceEnvironment({
      data,
      containerPort: CONTAINER_PORT,
      opsPort: OPS_PORT,
      metricsServiceName: props.metricsServiceName,
      documentDbInstanceClass: props.documentDbInstanceClass,
      maxTasks: settings.maxTasks,
      drain,
      healthCheckInterval: HEALTH_CHECK_INTERVAL,
      targetGroupArn: this.loadBalancer.targetGroup.targetGroupArn,
      receiptWaitReplicas: props.receiptWaitReplicas,
      allowedOrigins: props.allowedOrigins,
      clientTopics: props.clientTopics,
      rdsCaBundle: RDS_CA_BUNDLE,
    });

    this.serviceTask = new ChatTaskDefinition(this, 'ServiceTask', {
      image,
      cpu: settings.cpu,
      memoryMiB: settings.memoryMiB,
      environment: definedOnly(serviceEnvironmentValues),
      secrets: definedOnly(serviceSecrets(data)),
      logGroup,
      streamPrefix: 'chat',
      stopTimeout: Duration.seconds(drain.stopTimeoutSeconds),
      containerPort: CONTAINER_PORT,
      opsPort: OPS_PORT,
      healthCheckCommand: ['node', '/app/dist/app/src/ops/healthcheck.js'],
    });

    this.loadBalancer.grantReadTargetHealth(this.serviceTask.taskDefinition.taskRole);

    this.service = new ChatFargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.serviceTask.taskDefinition,
      securityGroup: props.serviceSecurityGroup,
      vpcSubnets: SERVICE_SUBNETS,
      enableExecuteCommand: settings.enableExecuteCommand,
      fargateSpot: settings.fargateSpot,
    });

    this.service.attachToApplicationTargetGroup(this.loadBalancer.targetGroup);

    const scaling = new ChatServiceScaling(this, 'Scaling', {
      service: this.service,
      minTasks: settings.minTasks,
      maxTasks: settings.maxTasks,
      cpuTargetPercent: settings.cpuTargetPercent,
      connectionsPerTaskTarget: settings.connectionsPerTaskTarget,
      metricsServiceName: props.metricsServiceName,
    });

    this.migrationTask = new ChatTaskDefinition(this, 'MigrationTask', {
      image,
      cpu: 512,
      memoryMiB: 1024,
      environment: definedOnly(databaseEnvironment(data, RDS_CA_BUNDLE)),
      secrets: definedOnly(migrationSecrets(data)),
      logGroup,
      streamPrefix: MIGRATION_LOG_STREAM_PREFIX,
      command: ['node', 'dist/app/src/database/migrate.js'],
    });
    this.migration = new MigrationRunner(this, 'Migration', {
      cluster: this.cluster,
      taskDefinition: this.migrationTask.taskDefinition,
      containerName: this.migrationTask.container.containerName,
      logGroup,
      logStreamPrefix: MIGRATION_LOG_STREAM_PREFIX,
      subnets: SERVICE_SUBNETS,
      securityGroup: props.serviceSecurityGroup,
      runId: imageAsset.assetHash,
      logRetention: retention,
    });
    // The service rolls to the new task definition only after the migration succeeded.
    this.service.node.addDependency(this.migration);

    const monitoring = new ChatMonitoring(this, 'Monitoring', {
      loadBalancer: this.loadBalancer.loadBalancer,
      targetGroup: this.loadBalancer.targetGroup,
      service: this.service,
      maxTasks: settings.maxTasks,
      connectionsPerTask: scaling.connectionsPerTask,
      redis: data.redis,
      mysql: data.mysql.instance,
      mysqlAllocatedStorageGiB: props.mysqlAllocatedStorageGiB,
      documentDbClusterIdentifier: data.messageStore.cluster.clusterIdentifier,
      documentDbInstanceIdentifiers: data.messageStore.cluster.instanceIdentifiers,
      mysqlInstanceClass: props.mysqlInstanceClass,
      documentDbInstanceClass: props.documentDbInstanceClass,
      alarmEmail: props.alarmEmail,
    });
    // Roll a deployment back on 5xx, unhealthy targets or dropped connections (with the circuit breaker).
    new DeploymentAlarms(this, 'DeploymentAlarms', {
      service: this.service,
      loadBalancer: this.loadBalancer.loadBalancer,
      targetGroup: this.loadBalancer.targetGroup,
      topic: monitoring.topic,
      namePrefix: this.stackName,
    });

    const dnsName = this.loadBalancer.loadBalancer.loadBalancerDnsName;
    new CfnOutput(this, 'LoadBalancerDnsName', { value: dnsName });
    new CfnOutput(this, 'WebSocketUrl', {
      value: `${this.loadBalancer.scheme === 'https' ? 'wss' : 'ws'}://${props.domainName ?? dnsName}/ws`,
    });
    if (props.domainName) {
      new CfnOutput(this, 'DnsRecordToCreate', {
        value: `${props.domainName} CNAME (or Route 53 alias) -> ${dnsName}`,
      });
    }
    new CfnOutput(this, 'MigrationTaskArn', {
      value: this.migration.taskArn,
      description: 'Migration task run by this deploy; its logs are under the "migrate" prefix.',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.topic.topicArn });

    acknowledgeTaskFindings(this.serviceTask, this.migrationTask, settings.enableExecuteCommand);
  }
}
