import type { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { EnvironmentValues } from '../../app/src/config/environment-variables.js';
import { clientTopicEnvironment, type ClientTopicSettings } from '../config/client-topics.js';
import { mongoPoolSize } from '../config/database-capacity.js';
import type { DrainSettings } from '../config/stages.js';
import type { DataStack } from '../stacks/data-stack.js';

/**
 * What the chat tasks are told, by the names of the app's environment contract
 * (app/src/config/environment-variables.ts): a variable the app does not read fails to compile.
 */
export type AppEnvironment = EnvironmentValues;
export type AppSecrets = EnvironmentValues<ecs.Secret>;

export type TaskData = Pick<
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

export interface ServiceEnvironmentProps {
  readonly data: TaskData;
  readonly containerPort: number;
  readonly opsPort: number;
  readonly metricsServiceName: string;
  readonly documentDbInstanceClass: string;
  readonly maxTasks: number;
  readonly drain: DrainSettings;
  readonly healthCheckInterval: Duration;
  readonly targetGroupArn: string;
  readonly receiptWaitReplicas: number;
  readonly allowedOrigins?: readonly string[];
  readonly clientTopics?: ClientTopicSettings;
  /** Where the image keeps the RDS CA bundle. */
  readonly rdsCaBundle: string;
}

/** What both tasks need: where the databases are. */
export function databaseEnvironment(data: TaskData, rdsCaBundle: string): AppEnvironment {
  return {
    NODE_ENV: 'production',
    MESSAGE_STORE: 'mongo',
    MYSQL_HOST: data.mysql.endpointAddress,
    MYSQL_PORT: data.mysql.endpointPort,
    MYSQL_DATABASE: data.mysql.databaseName,
    // The parameter group sets require_secure_transport=ON.
    MYSQL_TLS: 'true',
    MYSQL_TLS_CA_FILE: rdsCaBundle,
    MONGO_HOST: data.messageStore.endpointAddress,
    MONGO_PORT: data.messageStore.endpointPort,
    MONGO_TLS_CA_FILE: rdsCaBundle,
    MONGO_REPLICA_SET: 'rs0',
    // DocumentDB does not support retryable writes.
    MONGO_RETRY_WRITES: 'false',
    MONGO_READ_PREFERENCE: 'secondaryPreferred',
  };
}

/**
 * What the serving tasks get. Draining: ECS deregisters a task and waits the deregistration
 * delay before SIGTERM. The load balancer stops health-checking a draining target, so once its
 * checks have been silent for over two intervals the server asks DescribeTargetHealth (its IP
 * from the ECS metadata endpoint) and drains on `draining`.
 */
export function serviceEnvironment(props: ServiceEnvironmentProps): AppEnvironment {
  const { data, drain } = props;
  return {
    ...databaseEnvironment(data, props.rdsCaBundle),
    PORT: String(props.containerPort),
    OPS_PORT: String(props.opsPort),
    BACKPLANE: 'redis',
    REDIS_HOST: data.redis.endpointAddress,
    REDIS_PORT: data.redis.endpointPort,
    REDIS_TLS: 'true',
    // REDIS_CLUSTER=true when the stage runs ElastiCache in cluster mode.
    ...data.redis.clusterEnvironment,
    METRICS_SERVICE_NAME: props.metricsServiceName,
    // Every task's pools fit under DocumentDB's per-instance limit (database-capacity.ts).
    MONGO_MAX_POOL_SIZE: String(mongoPoolSize(props.documentDbInstanceClass, props.maxTasks)),
    // BACKPLANE=rabbitmq and the broker's endpoint when the stage runs Amazon MQ.
    ...data.rabbitmq?.taskEnvironment,
    SHUTDOWN_DRAIN_MS: String(drain.shutdownDrainMs),
    DRAIN_ON_DEREGISTRATION: 'true',
    DRAIN_HEALTH_CHECK_SILENCE_MS: String(props.healthCheckInterval.toMilliseconds() * 2 + 5_000),
    TARGET_GROUP_ARN: props.targetGroupArn,
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
}

const login = (secret: ISecret) => ({
  user: ecs.Secret.fromSecretsManager(secret, 'username'),
  password: ecs.Secret.fromSecretsManager(secret, 'password'),
});

/**
 * Each task gets only the secrets it reads: the service its least-privilege logins, the Redis
 * token and the JWT key; the migration task the master logins (to provision the users), its own
 * schema-owner login and the app logins it provisions.
 */
export function serviceSecrets(data: TaskData): AppSecrets {
  const mysqlApp = login(data.mysqlAppSecret);
  const mongoApp = login(data.documentDbAppSecret);
  return {
    REDIS_AUTH_TOKEN: ecs.Secret.fromSecretsManager(data.redis.authToken),
    MYSQL_USER: mysqlApp.user,
    MYSQL_PASSWORD: mysqlApp.password,
    MONGO_USERNAME: mongoApp.user,
    MONGO_PASSWORD: mongoApp.password,
    JWT_SECRET: ecs.Secret.fromSecretsManager(data.jwtSecret),
    ...data.rabbitmq?.taskSecrets,
  };
}

export function migrationSecrets(data: TaskData): AppSecrets {
  const mysqlApp = login(data.mysqlAppSecret);
  const mongoApp = login(data.documentDbAppSecret);
  const mysqlMaster = login(data.mysql.secret);
  const mysqlMigration = login(data.mysqlMigrationSecret);
  const mongoMaster = login(data.messageStore.secret);
  return {
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
}

/** The record ChatTaskDefinition takes, without the names a stage left unset. */
export function definedOnly<T>(values: { readonly [name: string]: T | undefined }): Record<string, T> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, T] => entry[1] !== undefined));
}
