import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ServiceSettings } from '../config/stages.js';
import { AccessLogBucket } from '../constructs/access-log-bucket.js';
import { ChatLoadBalancer } from '../constructs/chat-load-balancer.js';
import { ChatMonitoring } from '../constructs/chat-monitoring.js';
import { ChatServiceScaling } from '../constructs/chat-service-scaling.js';
import { ChatTaskDefinition } from '../constructs/chat-task-definition.js';
import { MigrationRunner } from '../constructs/migration-runner.js';
import type { DataStack } from './data-stack.js';
import { PUBLIC_SUBNETS, SERVICE_SUBNETS } from './network-stack.js';

/** Container port of the chat server. */
export const CONTAINER_PORT = 8080;
/** RDS CA bundle baked into the image by the Dockerfile; DocumentDB and MySQL TLS trust it. */
export const RDS_CA_BUNDLE = '/app/certs/global-bundle.pem';
/** Log stream prefix of the migration task. */
const MIGRATION_LOG_STREAM_PREFIX = 'migrate';

/** Files that never belong in the image build context (also listed in .dockerignore). */
export const IMAGE_EXCLUDES = [
  '.git',
  '.ci',
  'node_modules',
  'dist',
  'cdk.out',
  'data',
  'coverage',
  'bench',
  'docs',
  'infra',
  'test',
  '*.md',
  '*.log',
  '.env',
  '.env.*',
];

export interface ServiceStackProps extends StackProps {
  readonly vpc: ec2.IVpc;
  readonly albSecurityGroup: ec2.ISecurityGroup;
  readonly serviceSecurityGroup: ec2.ISecurityGroup;
  /** Endpoints and secrets of the data stores. */
  readonly data: Pick<DataStack, 'redis' | 'messageStore' | 'mysql' | 'jwtSecret'>;
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

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { data, service: settings } = props;
    const { drain } = settings;
    const retention = settings.logRetentionDays as logs.RetentionDays;

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    // One asset for both task definitions; its hash also identifies the migration run.
    const imageAsset = new ecrAssets.DockerImageAsset(this, 'Image', {
      directory: props.imageDirectory,
      file: 'Dockerfile',
      exclude: IMAGE_EXCLUDES,
      // Fargate runs x86_64 here; building for it explicitly keeps ARM laptops from
      // shipping an image the tasks cannot start.
      platform: ecrAssets.Platform.LINUX_AMD64,
    });
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
    });

    const environment: Record<string, string> = {
      NODE_ENV: 'production',
      PORT: String(CONTAINER_PORT),
      BACKPLANE: 'redis',
      MESSAGE_STORE: 'mongo',
      REDIS_HOST: data.redis.endpointAddress,
      REDIS_PORT: data.redis.endpointPort,
      REDIS_TLS: 'true',
      MYSQL_HOST: data.mysql.endpointAddress,
      MYSQL_PORT: data.mysql.endpointPort,
      MYSQL_DATABASE: data.mysql.databaseName,
      // The parameter group sets require_secure_transport=ON.
      MYSQL_TLS: 'true',
      MYSQL_TLS_CA_FILE: RDS_CA_BUNDLE,
      MONGO_HOST: data.messageStore.endpointAddress,
      MONGO_PORT: data.messageStore.endpointPort,
      MONGO_TLS_CA_FILE: RDS_CA_BUNDLE,
      MONGO_REPLICA_SET: 'rs0',
      // DocumentDB does not support retryable writes.
      MONGO_RETRY_WRITES: 'false',
      MONGO_READ_PREFERENCE: 'secondaryPreferred',
      METRICS_SERVICE_NAME: props.metricsServiceName,
      ...(props.receiptWaitReplicas > 0
        ? { RECEIPT_WAIT_REPLICAS: String(props.receiptWaitReplicas), RECEIPT_WAIT_TIMEOUT_MS: '500' }
        : {}),
    };
    // What only the serving tasks need. Draining: ECS deregisters a task and waits the
    // deregistration delay before SIGTERM, so the server polls its own target's health
    // (DescribeTargetHealth, its IP from the ECS metadata endpoint) and starts draining when
    // the state becomes `draining`.
    const serviceEnvironment: Record<string, string> = {
      ...environment,
      SHUTDOWN_DRAIN_MS: String(drain.shutdownDrainMs),
      DRAIN_ON_DEREGISTRATION: 'true',
      TARGET_GROUP_ARN: this.loadBalancer.targetGroup.targetGroupArn,
      ...(props.allowedOrigins && props.allowedOrigins.length > 0
        ? { ALLOWED_ORIGINS: props.allowedOrigins.join(',') }
        : {}),
    };
    const secrets: Record<string, ecs.Secret> = {
      REDIS_AUTH_TOKEN: ecs.Secret.fromSecretsManager(data.redis.authToken),
      MYSQL_USER: ecs.Secret.fromSecretsManager(data.mysql.secret, 'username'),
      MYSQL_PASSWORD: ecs.Secret.fromSecretsManager(data.mysql.secret, 'password'),
      MONGO_USERNAME: ecs.Secret.fromSecretsManager(data.messageStore.secret, 'username'),
      MONGO_PASSWORD: ecs.Secret.fromSecretsManager(data.messageStore.secret, 'password'),
      JWT_SECRET: ecs.Secret.fromSecretsManager(data.jwtSecret),
    };

    this.serviceTask = new ChatTaskDefinition(this, 'ServiceTask', {
      image,
      cpu: settings.cpu,
      memoryMiB: settings.memoryMiB,
      environment: serviceEnvironment,
      secrets,
      logGroup,
      streamPrefix: 'chat',
      stopTimeout: Duration.seconds(drain.stopTimeoutSeconds),
      containerPort: CONTAINER_PORT,
      healthCheckCommand: ['node', '/app/dist/app/src/ops/healthcheck.js'],
    });

    this.loadBalancer.grantReadTargetHealth(this.serviceTask.taskDefinition.taskRole);

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.serviceTask.taskDefinition,
      // No desiredCount on purpose: CloudFormation then leaves the running count alone on
      // updates, so a deploy never scales a busy fleet back down (autoscaling owns it).
      securityGroups: [props.serviceSecurityGroup],
      vpcSubnets: SERVICE_SUBNETS,
      assignPublicIp: false,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
      enableExecuteCommand: settings.enableExecuteCommand,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
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
      environment,
      secrets,
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
      alarmEmail: props.alarmEmail,
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

    this.acknowledgeFindings(settings.enableExecuteCommand);
  }

  private acknowledgeFindings(enableExecuteCommand: boolean): void {
    for (const task of [this.serviceTask, this.migrationTask]) {
      const taskDefinition = task.taskDefinition;
      Validations.of(taskDefinition).acknowledge({
        id: 'AwsSolutions-ECS2',
        reason:
          'Only non-secret configuration (endpoints, ports, flags) is in plain environment variables; every credential is injected from Secrets Manager.',
      });
      if (taskDefinition.executionRole) {
        Validations.of(taskDefinition.executionRole).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'ecr:GetAuthorizationToken has no resource-level permissions; image pulls and secret reads are scoped to their ARNs.',
        });
      }
    }
    Validations.of(this.serviceTask.taskDefinition.taskRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: [
        'elasticloadbalancing:DescribeTargetHealth (the task watching its own deregistration) does not support resource-level permissions.',
        ...(enableExecuteCommand
          ? [
              'ECS Exec (dev/staging only) needs the ssmmessages channel actions, which have no resource-level permissions.',
            ]
          : []),
      ].join(' '),
    });
  }
}
