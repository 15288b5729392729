import {
  CfnResource,
  Duration,
  ReferenceStrength,
  RemovalPolicy,
  Stack,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, type IConstruct } from 'constructs';
import type {
  BrokerKind,
  DocumentDbSettings,
  MysqlSettings,
  ProtectionSettings,
  RedisSettings,
  StatefulRemoval,
} from '../config/stages.js';
import { documentDbSupportsPerformanceInsights, rdsSupportsPerformanceInsights } from '../config/database-capacity.js';
import { DatabaseUserSecret } from '../constructs/database-user-secret.js';
import { MessageStoreCluster } from '../constructs/message-store-cluster.js';
import { MysqlDatabase } from '../constructs/mysql-database.js';
import { RedisReplicationGroup } from '../constructs/redis-replication-group.js';
import { AmazonMqRabbitMq } from '../constructs/amazon-mq-rabbitmq.js';
import { rabbitMqSettingsFor } from '../config/rabbitmq-settings.js';
import { URI_UNSAFE_CHARACTERS } from '../constructs/message-store-cluster.js';
import { DATA_SUBNETS, SERVICE_SUBNETS } from './network-stack.js';

/** How often the RDS and DocumentDB master secrets rotate. */
export const MASTER_ROTATION = Duration.days(30);
/** Database users the migration run creates (app/src/database/database-users.ts). */
export const DATABASE_USERS = {
  mysqlApp: 'chat_app',
  mysqlMigration: 'chat_migrator',
  documentDbApp: 'chat_app',
} as const;

export interface DataStackProps extends StackProps {
  readonly vpc: ec2.IVpc;
  /** The only security group admitted by the data stores. */
  readonly serviceSecurityGroup: ec2.ISecurityGroup;
  readonly redis: RedisSettings;
  readonly documentDb: DocumentDbSettings;
  readonly mysql: MysqlSettings;
  readonly protection: ProtectionSettings;
  /** With 'rabbitmq', an Amazon MQ for RabbitMQ broker is added. @default 'redis' */
  readonly broker?: BrokerKind;
  /** Retention of the databases' exported logs. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * Logical IDs of the stateful resources. CloudFormation replaces a resource whose logical
 * ID changes, which for these means data loss or a new password, so they are fixed here
 * and asserted by the tests instead of following construct paths.
 */
export const PINNED_LOGICAL_IDS = {
  dataKey: 'ChatDataKey',
  redis: 'ChatRedisReplicationGroup',
  redisAuthToken: 'ChatRedisAuthToken',
  documentDbCluster: 'ChatMessageStoreCluster',
  documentDbSecret: 'ChatMessageStoreSecret',
  mysqlInstance: 'ChatMysqlInstance',
  mysqlSecret: 'ChatMysqlSecret',
  mysqlAppSecret: 'ChatMysqlAppSecret',
  mysqlMigrationSecret: 'ChatMysqlMigrationSecret',
  documentDbAppSecret: 'ChatMessageStoreAppSecret',
  jwtSecret: 'ChatJwtSecret',
} as const;

export function removalPolicyOf(removal: StatefulRemoval): RemovalPolicy {
  switch (removal) {
    case 'destroy':
      return RemovalPolicy.DESTROY;
    case 'snapshot':
      return RemovalPolicy.SNAPSHOT;
    case 'retain':
      return RemovalPolicy.RETAIN;
  }
}

/**
 * Everything stateful: Redis/Valkey, DocumentDB, MySQL, their KMS key and secrets, and the
 * JWT signing secret. Termination protection is always on; deleting this stack is a
 * deliberate two-step act.
 */
export class DataStack extends Stack {
  readonly encryptionKey: kms.Key;
  readonly redis: RedisReplicationGroup;
  readonly messageStore: MessageStoreCluster;
  readonly mysql: MysqlDatabase;
  /** HMAC key for access and refresh tokens; rotating it signs every user out. */
  readonly jwtSecret: secretsmanager.Secret;
  /** Only with broker 'rabbitmq'. */
  readonly rabbitmq?: AmazonMqRabbitMq;
  /** The service's MySQL login: DML on the chat tables. */
  readonly mysqlAppSecret: secretsmanager.Secret;
  /** The migration task's MySQL login: owns the chat schema. */
  readonly mysqlMigrationSecret: secretsmanager.Secret;
  /** The service's DocumentDB login: readWrite on the chat database. */
  readonly documentDbAppSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { ...props, terminationProtection: true });
    const { protection } = props;
    const removalPolicy = removalPolicyOf(protection.removal);
    // Keys and secrets do not support SNAPSHOT; keep them whenever the data may be kept.
    const keepPolicy = protection.removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    this.encryptionKey = new kms.Key(this, 'DataKey', {
      description: 'Encrypts the chat data stores at rest',
      enableKeyRotation: true,
      removalPolicy: keepPolicy,
    });

    this.redis = new RedisReplicationGroup(this, 'Redis', {
      vpc: props.vpc,
      vpcSubnets: DATA_SUBNETS,
      allowFrom: props.serviceSecurityGroup,
      nodeType: props.redis.nodeType,
      replicas: props.redis.replicas,
      shards: props.redis.shards,
      encryptionKey: this.encryptionKey,
      removalPolicy,
      slowLogRetention: props.logRetention,
    });

    this.messageStore = new MessageStoreCluster(this, 'MessageStore', {
      vpc: props.vpc,
      vpcSubnets: DATA_SUBNETS,
      allowFrom: props.serviceSecurityGroup,
      instanceClass: props.documentDb.instanceClass,
      instances: props.documentDb.instances,
      encryptionKey: this.encryptionKey,
      backupRetentionDays: protection.backupRetentionDays,
      deletionProtection: protection.deletionProtection,
      removalPolicy,
      logRetention: props.logRetention,
      performanceInsights: documentDbSupportsPerformanceInsights(props.documentDb.instanceClass),
      masterRotation: { every: MASTER_ROTATION, subnets: SERVICE_SUBNETS },
    });

    this.mysql = new MysqlDatabase(this, 'Mysql', {
      vpc: props.vpc,
      vpcSubnets: DATA_SUBNETS,
      allowFrom: props.serviceSecurityGroup,
      instanceClass: props.mysql.instanceClass,
      allocatedStorageGiB: props.mysql.allocatedStorageGiB,
      maxAllocatedStorageGiB: props.mysql.maxAllocatedStorageGiB,
      iamAuthentication: props.mysql.iamAuthentication,
      encryptionKey: this.encryptionKey,
      multiAz: protection.multiAz,
      deletionProtection: protection.deletionProtection,
      backupRetentionDays: protection.backupRetentionDays,
      removalPolicy,
      logRetention: props.logRetention,
      performanceInsights: rdsSupportsPerformanceInsights(props.mysql.instanceClass),
      masterRotation: { every: MASTER_ROTATION, subnets: SERVICE_SUBNETS },
    });

    const userSecret = (secretId: string, username: string, description: string, excludeCharacters?: string) =>
      new DatabaseUserSecret(this, secretId, { username, description, excludeCharacters, removalPolicy: keepPolicy })
        .secret;
    this.mysqlAppSecret = userSecret(
      'MysqlAppUser',
      DATABASE_USERS.mysqlApp,
      'Chat service MySQL login (DML on the chat tables)',
    );
    this.mysqlMigrationSecret = userSecret(
      'MysqlMigrationUser',
      DATABASE_USERS.mysqlMigration,
      'Chat migration task MySQL login (owns the chat schema)',
    );
    this.documentDbAppSecret = userSecret(
      'MessageStoreAppUser',
      DATABASE_USERS.documentDbApp,
      'Chat service DocumentDB login (readWrite on the chat database)',
      URI_UNSAFE_CHARACTERS,
    );

    this.jwtSecret = new secretsmanager.Secret(this, 'JwtSecret', {
      description: 'HMAC key signing chat access and refresh tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: keepPolicy,
    });

    if (props.broker === 'rabbitmq') {
      this.rabbitmq = new AmazonMqRabbitMq(this, 'RabbitMq', {
        vpc: props.vpc,
        vpcSubnets: DATA_SUBNETS,
        allowFrom: props.serviceSecurityGroup,
        ...rabbitMqSettingsFor(protection),
        removalPolicy: keepPolicy,
      });
    }

    this.pinLogicalIds();
    this.strengthenReferences();
    this.acknowledgeFindings(props);
  }

  /**
   * The service stack cannot run without these: references to them are exports, so neither a
   * deletion nor a replacement can go through while the service stack still imports them.
   */
  private strengthenReferences(): void {
    this.redis.replicationGroup.applyCrossStackReferenceStrength(ReferenceStrength.STRONG);
    this.messageStore.cluster.applyCrossStackReferenceStrength(ReferenceStrength.STRONG);
    this.mysql.instance.applyCrossStackReferenceStrength(ReferenceStrength.STRONG);
    for (const secret of this.secrets()) secret.applyCrossStackReferenceStrength(ReferenceStrength.STRONG);
  }

  private secrets(): secretsmanager.Secret[] {
    return [
      this.redis.authToken,
      this.messageStore.secret,
      this.mysql.secret,
      this.jwtSecret,
      this.mysqlAppSecret,
      this.mysqlMigrationSecret,
      this.documentDbAppSecret,
      ...(this.rabbitmq ? [this.rabbitmq.credentials] : []),
    ];
  }

  private pinLogicalIds(): void {
    const ids = PINNED_LOGICAL_IDS;
    pin(this.encryptionKey, ids.dataKey);
    this.redis.replicationGroup.overrideLogicalId(ids.redis);
    pin(this.redis.authToken, ids.redisAuthToken);
    pin(this.messageStore.cluster, ids.documentDbCluster);
    pin(this.messageStore.secret, ids.documentDbSecret);
    pin(this.mysql.instance, ids.mysqlInstance);
    pin(this.mysql.secret, ids.mysqlSecret);
    pin(this.jwtSecret, ids.jwtSecret);
    pin(this.mysqlAppSecret, ids.mysqlAppSecret);
    pin(this.mysqlMigrationSecret, ids.mysqlMigrationSecret);
    pin(this.documentDbAppSecret, ids.documentDbAppSecret);
    // DocumentDB instances carry no data, but replacing all of them at once is an outage.
    let n = 0;
    for (const child of this.messageStore.cluster.node.children) {
      if (CfnResource.isCfnResource(child) && child.cfnResourceType === 'AWS::DocDB::DBInstance') {
        child.overrideLogicalId(`ChatMessageStoreInstance${++n}`);
      }
    }
  }

  private acknowledgeFindings(props: DataStackProps): void {
    // The master secrets rotate (single user; only the migration task reads them, at each start).
    const noHostedRotation: Array<[secretsmanager.ISecret, string]> = [
      [
        this.redis.authToken,
        'ElastiCache AUTH tokens have no Secrets Manager rotation function; rotating one is a ROTATE then SET modify-replication-group call while the tasks restart, run as the procedure in docs/deploy.md.',
      ],
      [
        this.jwtSecret,
        'Rotating the JWT signing key signs every user out (no key overlap in the verifier yet); it is rotated by the procedure in docs/deploy.md, not on a timer.',
      ],
      ...[this.mysqlAppSecret, this.documentDbAppSecret].map((secret): [secretsmanager.ISecret, string] => [
        secret,
        'The service reads this login once at task start and tasks live for weeks, so a timed rotation would lock running tasks out. The migration task sets the password from the secret, so rotating it is: put a new value, run the migration task, force a new deployment (docs/deploy.md).',
      ]),
      [
        this.mysqlMigrationSecret,
        "Read only by the migration task at its start; the migration run itself sets this user's password from the secret, so a new value takes effect at its next run (docs/deploy.md).",
      ],
    ];
    if (this.rabbitmq) {
      noHostedRotation.push([
        this.rabbitmq.credentials,
        'Amazon MQ has no Secrets Manager rotation function; the tasks read this login once at start, so it is changed as a put-value, update-user, force-new-deployment procedure, not on a timer.',
      ]);
    }
    for (const [secret, reason] of noHostedRotation) {
      Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason });
    }
    const defaultPort =
      'Default port kept for client tooling; the store sits in isolated subnets and its security group admits only the service security group.';
    Validations.of(this.messageStore).acknowledge({ id: 'AwsSolutions-DOC2', reason: defaultPort });
    Validations.of(this.mysql).acknowledge({ id: 'AwsSolutions-RDS11', reason: defaultPort });
    for (const event of ['authenticate', 'createIndex', 'dropCollection']) {
      Validations.of(this.messageStore).acknowledge({
        id: `AwsSolutions-DOC5[LogExport::${event}]`,
        reason: `The 'audit' log export with audit_logs=enabled in the parameter group records ${event} events; '${event}' itself is not a valid EnableCloudwatchLogsExports value.`,
      });
    }
    Validations.of(this.messageStore).acknowledge({
      id: 'AwsSolutions-DOC3',
      reason:
        'Master username and password are {{resolve:secretsmanager}} references to the generated secret, built with Fn::Join, which the rule cannot evaluate.',
    });
    acknowledgeLogRetentionHandler(this);
    if (props.redis.replicas === 0) {
      Validations.of(this.redis).acknowledge({
        id: 'AwsSolutions-AEC4',
        reason:
          'Single-node Redis in dev only to save cost; stage validation requires replicas (Multi-AZ failover) in staging and prod.',
      });
    }
    if (!props.protection.multiAz) {
      Validations.of(this.mysql).acknowledge({
        id: 'AwsSolutions-RDS3',
        reason: 'Single-AZ MySQL outside prod to save cost; stage validation requires Multi-AZ in prod.',
      });
    }
    if (!props.protection.deletionProtection) {
      Validations.of(this.mysql).acknowledge({
        id: 'AwsSolutions-RDS10',
        reason: 'Dev databases are disposable; stage validation requires deletion protection in prod.',
      });
    }
  }
}

/** Id of the singleton handler aws-cdk-lib adds for `cloudwatchLogsRetention` / `cloudWatchLogsRetention`. */
const LOG_RETENTION_HANDLER_ID = 'LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a';

function acknowledgeLogRetentionHandler(stack: Stack): void {
  const handler = stack.node.tryFindChild(LOG_RETENTION_HANDLER_ID);
  // Fail loudly if aws-cdk-lib renames it, rather than letting the acknowledgement go stale.
  if (!handler)
    throw new Error(`${stack.node.path}: CDK log retention handler '${LOG_RETENTION_HANDLER_ID}' not found`);
  Validations.of(handler).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "aws-cdk-lib's log-retention handler (for the RDS/DocumentDB log groups) only gets the basic Lambda logging policy.",
    },
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "aws-cdk-lib's log-retention handler sets retention on log groups RDS and DocumentDB create at deploy time, whose names are not known at synth.",
    },
  );
}

function pin(construct: IConstruct, logicalId: string): void {
  const resource = construct.node.defaultChild;
  if (!CfnResource.isCfnResource(resource)) {
    throw new Error(`cannot pin ${construct.node.path}: no CloudFormation resource as default child`);
  }
  resource.overrideLogicalId(logicalId);
}
