import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { clientTopicEnvironment, type ClientTopicSettings } from '../config/client-topics.js';
import { mongoPoolSize } from '../config/database-capacity.js';
import type { ServiceSettings, WafSettings } from '../config/stages.js';
import { AccessLogBucket } from '../constructs/access-log-bucket.js';
import { ChatLoadBalancer } from '../constructs/chat-load-balancer.js';
import { ChatMonitoring } from '../constructs/chat-monitoring.js';
import { ChatServiceScaling } from '../constructs/chat-service-scaling.js';
import { ChatTaskDefinition } from '../constructs/chat-task-definition.js';
import { DeploymentAlarms } from '../constructs/deployment-alarms.js';
import { ChatWebAcl } from '../constructs/chat-web-acl.js';
import { MigrationRunner } from '../constructs/migration-runner.js';
import type { DataStack } from './data-stack.js';
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

/**
 * The image build context as an allow-list (also the content of .dockerignore): everything is
 * left out except what the Dockerfile copies. The asset hash covers exactly these files, so
 * editing a lint config, a test or a doc neither reruns the migration task (its run id is the
 * hash) nor rolls the fleet. A file the Dockerfile starts copying must be added here;
 * test/infra/image-asset-hash.test.ts compares this list with the Dockerfile's COPY lines.
 */
export const IMAGE_EXCLUDES = [
  '*',
  '!Dockerfile',
  '!package.json',
  '!package-lock.json',
  '!tsconfig*.json',
  '!app',
  '!client',
];

export interface ServiceStackProps extends StackProps {
  readonly vpc: ec2.IVpc;
  readonly albSecurityGroup: ec2.ISecurityGroup;
  readonly serviceSecurityGroup: ec2.ISecurityGroup;
  /** Endpoints and secrets of the data stores. */
  readonly data: Pick<
    DataStack,
    | 'redis'
    | 'messageStore'
    | 'mysql'
    | 'jwtSecret'
    | 'mysqlAppSecret'
    | 'mysqlMigrationSecret'
    | 'documentDbAppSecret'
    | 'rabbitmq'
  >;
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
    const imageAsset = new ecrAssets.DockerImageAsset(this, 'Image', {
      directory: props.imageDirectory,
      file: 'Dockerfile',
      exclude: IMAGE_EXCLUDES,
      // The tasks run on Graviton (ARM64); building for it explicitly keeps x86 machines from
      // shipping an image the tasks cannot start (they need buildx with QEMU, see docs/deploy.md).
      platform: ecrAssets.Platform.LINUX_ARM64,
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
      healthCheckInterval: HEALTH_CHECK_INTERVAL,
    });
    this.webAcl = new ChatWebAcl(this, 'WebAcl', {
      loadBalancerArn: this.loadBalancer.loadBalancer.loadBalancerArn,
      authRequestsPer5Min: props.waf.authRequestsPer5Min,
      upgradeRequestsPer5Min: props.waf.upgradeRequestsPer5Min,
      metricPrefix: props.metricsServiceName,
    });

    // What both tasks need: where the databases are.
    const environment: Record<string, string> = {
      NODE_ENV: 'production',
      MESSAGE_STORE: 'mongo',
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
    };
    // What only the serving tasks need. Draining: ECS deregisters a task and waits the
    // deregistration delay before SIGTERM. The load balancer stops health-checking a draining
    // target, so once its checks have been silent for over two intervals the server asks
    // DescribeTargetHealth (its IP from the ECS metadata endpoint) and drains on `draining`.
    const serviceEnvironment: Record<string, string> = {
      ...environment,
      PORT: String(CONTAINER_PORT),
      OPS_PORT: String(OPS_PORT),
      BACKPLANE: 'redis',
      REDIS_HOST: data.redis.endpointAddress,
      REDIS_PORT: data.redis.endpointPort,
      REDIS_TLS: 'true',
      ...data.redis.clusterEnvironment,
      METRICS_SERVICE_NAME: props.metricsServiceName,
      // Every task's pools fit under DocumentDB's per-instance limit (database-capacity.ts).
      MONGO_MAX_POOL_SIZE: String(mongoPoolSize(props.documentDbInstanceClass, settings.maxTasks)),
      // BACKPLANE=rabbitmq and the broker's endpoint when the stage runs Amazon MQ.
      ...data.rabbitmq?.taskEnvironment,
      SHUTDOWN_DRAIN_MS: String(drain.shutdownDrainMs),
      DRAIN_ON_DEREGISTRATION: 'true',
      DRAIN_HEALTH_CHECK_SILENCE_MS: String(HEALTH_CHECK_INTERVAL.toMilliseconds() * 2 + 5_000),
      TARGET_GROUP_ARN: this.loadBalancer.targetGroup.targetGroupArn,
      // Receipts wait for replicas (docs/guarantees.md): a failover then loses no receipted message.
      ...(props.receiptWaitReplicas > 0
        ? { RECEIPT_WAIT_REPLICAS: String(props.receiptWaitReplicas), RECEIPT_WAIT_TIMEOUT_MS: '500' }
        : {}),
      // The ALB is the one proxy hop: req.ip is then the client it names in X-Forwarded-For
      // (login throttling counts per client address, not per ALB node).
      TRUST_PROXY: '1',
      ...(props.allowedOrigins && props.allowedOrigins.length > 0
        ? { ALLOWED_ORIGINS: props.allowedOrigins.join(',') }
        : {}),
      ...(props.clientTopics ? clientTopicEnvironment(props.clientTopics) : {}),
    };
    const login = (secret: ISecret) => ({
      user: ecs.Secret.fromSecretsManager(secret, 'username'),
      password: ecs.Secret.fromSecretsManager(secret, 'password'),
    });
    const mysqlApp = login(data.mysqlAppSecret);
    const mongoApp = login(data.documentDbAppSecret);
    // Each task gets only the secrets it reads: the service its least-privilege logins, the
    // Redis token and the JWT key; the migration task the master logins (to provision the
    // users), its own schema-owner login and the app logins it provisions.
    const serviceSecrets: Record<string, ecs.Secret> = {
      REDIS_AUTH_TOKEN: ecs.Secret.fromSecretsManager(data.redis.authToken),
      MYSQL_USER: mysqlApp.user,
      MYSQL_PASSWORD: mysqlApp.password,
      MONGO_USERNAME: mongoApp.user,
      MONGO_PASSWORD: mongoApp.password,
      JWT_SECRET: ecs.Secret.fromSecretsManager(data.jwtSecret),
      ...data.rabbitmq?.taskSecrets,
    };
    const mysqlMaster = login(data.mysql.secret);
    const mysqlMigration = login(data.mysqlMigrationSecret);
    const mongoMaster = login(data.messageStore.secret);
    const migrationSecrets: Record<string, ecs.Secret> = {
      MYSQL_USER: mysqlMigration.user,
      MYSQL_PASSWORD: mysqlMigration.password,
      MYSQL_ADMIN_USER: mysqlMaster.user,
      MYSQL_ADMIN_PASSWORD: mysqlMaster.password,
      MYSQL_APP_USER: mysqlApp.user,
      MYSQL_APP_PASSWORD: mysqlApp.password,
      MONGO_ADMIN_USERNAME: mongoMaster.user,
      MONGO_ADMIN_PASSWORD: mongoMaster.password,
      MONGO_APP_USERNAME: mongoApp.user,
      MONGO_APP_PASSWORD: mongoApp.password,
    };

    this.serviceTask = new ChatTaskDefinition(this, 'ServiceTask', {
      image,
      cpu: settings.cpu,
      memoryMiB: settings.memoryMiB,
      environment: serviceEnvironment,
      secrets: serviceSecrets,
      logGroup,
      streamPrefix: 'chat',
      stopTimeout: Duration.seconds(drain.stopTimeoutSeconds),
      containerPort: CONTAINER_PORT,
      opsPort: OPS_PORT,
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
      ...(settings.fargateSpot
        ? {
            // The first onDemandBase tasks on regular Fargate, every further one on Spot.
            capacityProviderStrategies: [
              { capacityProvider: 'FARGATE', base: settings.fargateSpot.onDemandBase, weight: 0 },
              { capacityProvider: 'FARGATE_SPOT', weight: 1 },
            ],
          }
        : {}),
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
      secrets: migrationSecrets,
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
