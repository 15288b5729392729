import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DataStoreSecurityGroup } from './data-store-security-group.js';

export interface MysqlDatabaseProps {
  readonly vpc: ec2.IVpc;
  /** Subnets for the instance (at least two AZs for the subnet group). */
  readonly vpcSubnets: ec2.SubnetSelection;
  /** The only security group allowed to connect. */
  readonly allowFrom: ec2.ISecurityGroup;
  /** Instance class without the `db.` prefix, e.g. `t4g.micro`. */
  readonly instanceClass: string;
  /** Initial gp3 storage, GiB. */
  readonly allocatedStorageGiB: number;
  /** Storage autoscaling ceiling, GiB. */
  readonly maxAllocatedStorageGiB: number;
  /** Key for storage encryption. */
  readonly encryptionKey: kms.IKey;
  readonly multiAz: boolean;
  readonly deletionProtection: boolean;
  /** Automated backup retention, days. */
  readonly backupRetentionDays: number;
  /** @default false */
  readonly iamAuthentication?: boolean;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Retention of the exported error and slow-query logs. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * MySQL 8.4 is the LTS line; 8.0 is in paid extended support.
   * @default rds.MysqlEngineVersion.VER_8_4_8
   */
  readonly engineVersion?: rds.MysqlEngineVersion;
  /** Schema created with the instance. @default 'chat' */
  readonly databaseName?: string;
  /** @default 'chatadmin' */
  readonly masterUsername?: string;
  /**
   * Performance Insights (7 days, the free tier), encrypted with `encryptionKey`. The caller
   * decides whether the class supports it (database-capacity.ts). @default false
   */
  readonly performanceInsights?: boolean;
  /** Statements slower than this go to the slow query log (long_query_time). @default 1 s */
  readonly longQueryTime?: Duration;
  /**
   * Rotate the master secret on this schedule (single-user rotation: the master is used only by
   * the migration task, which reads it at every start). @default - no rotation
   */
  readonly masterRotation?: { readonly every: Duration; readonly subnets: ec2.SubnetSelection };
}

/**
 * Users, rooms and memberships: RDS for MySQL 8.4, encrypted with a customer key, TLS
 * required by the parameter group, credentials generated into Secrets Manager.
 */
export class MysqlDatabase extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly secret: secretsmanager.Secret;
  readonly securityGroup: ec2.SecurityGroup;
  readonly databaseName: string;
  readonly rotation?: secretsmanager.SecretRotation;

  constructor(scope: Construct, id: string, props: MysqlDatabaseProps) {
    super(scope, id);
    this.databaseName = props.databaseName ?? 'chat';
    const engine = rds.DatabaseInstanceEngine.mysql({
      version: props.engineVersion ?? rds.MysqlEngineVersion.VER_8_4_8,
    });
    const port = 3306;

    this.securityGroup = new DataStoreSecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      allowFrom: props.allowFrom,
      port,
      storeName: 'MySQL',
    }).securityGroup;

    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: 'Chat MySQL: TLS required, slow query log on',
      parameters: {
        require_secure_transport: 'ON',
        tls_version: 'TLSv1.2,TLSv1.3',
        // The `slowquery` export only has something to ship when the server writes the log to a file.
        slow_query_log: '1',
        long_query_time: String((props.longQueryTime ?? Duration.seconds(1)).toMilliseconds() / 1000),
        log_output: 'FILE',
      },
    });

    this.instance = new rds.DatabaseInstance(this, 'Resource', {
      engine,
      instanceType: new ec2.InstanceType(props.instanceClass),
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: [this.securityGroup],
      port,
      publiclyAccessible: false,
      parameterGroup,
      credentials: rds.Credentials.fromGeneratedSecret(props.masterUsername ?? 'chatadmin'),
      databaseName: this.databaseName,
      storageType: rds.StorageType.GP3,
      allocatedStorage: props.allocatedStorageGiB,
      maxAllocatedStorage: props.maxAllocatedStorageGiB,
      storageEncrypted: true,
      storageEncryptionKey: props.encryptionKey,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      multiAz: props.multiAz,
      iamAuthentication: props.iamAuthentication ?? false,
      backupRetention: Duration.days(props.backupRetentionDays),
      preferredBackupWindow: '03:00-04:00',
      preferredMaintenanceWindow: 'sun:05:00-sun:06:00',
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      cloudwatchLogsExports: ['error', 'slowquery'],
      ...(props.performanceInsights
        ? {
            enablePerformanceInsights: true,
            performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
            performanceInsightEncryptionKey: props.encryptionKey,
          }
        : {}),
      cloudwatchLogsRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    this.secret = generatedSecret(this.instance);
    // Without its secret a retained database is locked; SNAPSHOT is not a secret policy.
    this.secret.applyRemovalPolicy(
      (props.removalPolicy ?? RemovalPolicy.RETAIN) === RemovalPolicy.DESTROY
        ? RemovalPolicy.DESTROY
        : RemovalPolicy.RETAIN,
    );
    if (props.masterRotation) {
      this.rotation = this.instance.addRotationSingleUser({
        automaticallyAfter: props.masterRotation.every,
        vpcSubnets: props.masterRotation.subnets,
      });
    }
  }

  get endpointAddress(): string {
    return this.instance.dbInstanceEndpointAddress;
  }

  get endpointPort(): string {
    return this.instance.dbInstanceEndpointPort;
  }
}

/**
 * The generated master secret itself. `instance.secret` is its target attachment, a different
 * construct; pinning the logical ID and acknowledging findings need the secret resource.
 */
function generatedSecret(owner: Construct): secretsmanager.Secret {
  const secret = owner.node.tryFindChild('Secret');
  if (!(secret instanceof secretsmanager.Secret)) {
    throw new Error(`${owner.node.path} has no generated secret`);
  }
  return secret;
}
