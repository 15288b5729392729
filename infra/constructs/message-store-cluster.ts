import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DataStoreSecurityGroup } from './data-store-security-group.js';

export interface MessageStoreClusterProps {
  readonly vpc: ec2.IVpc;
  /** Subnets for the instances (at least two AZs). */
  readonly vpcSubnets: ec2.SubnetSelection;
  /** The only security group allowed to connect. */
  readonly allowFrom: ec2.ISecurityGroup;
  /** Instance class without the `db.` prefix, e.g. `t4g.medium`. */
  readonly instanceClass: string;
  /** Instances (1 primary + n-1 replicas). */
  readonly instances: number;
  /** Key for storage encryption. */
  readonly encryptionKey: kms.IKey;
  /** Automated backup retention, days. */
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Retention of the exported audit and profiler logs. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default '5.0.0' */
  readonly engineVersion?: string;
  /** @default 27017 */
  readonly port?: number;
  /** @default 'chatadmin' */
  readonly masterUsername?: string;
  /** Performance Insights; the caller checks the class supports it. @default false */
  readonly performanceInsights?: boolean;
  /** Rotate the master secret (single user: only the migration task uses it). @default - no rotation */
  readonly masterRotation?: { readonly every: Duration; readonly subnets: ec2.SubnetSelection };
}

/** Kept out of generated passwords so they also work inside a mongodb:// URL. */
export const URI_UNSAFE_CHARACTERS = '"@/\\\':?#[]%&+=,;<>{}|^`~ ';

/**
 * The message store: an Amazon DocumentDB cluster with TLS enforced by its parameter
 * group, storage encrypted with a customer key, audit and profiler logs exported, and a
 * generated master secret.
 */
export class MessageStoreCluster extends Construct {
  readonly cluster: docdb.DatabaseCluster;
  readonly secret: secretsmanager.Secret;
  readonly securityGroup: ec2.SecurityGroup;
  readonly port: number;
  readonly rotation?: secretsmanager.SecretRotation;

  constructor(scope: Construct, id: string, props: MessageStoreClusterProps) {
    super(scope, id);
    this.port = props.port ?? docdb.DatabaseCluster.DEFAULT_PORT;

    this.securityGroup = new DataStoreSecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      allowFrom: props.allowFrom,
      port: this.port,
      storeName: 'DocumentDB',
    }).securityGroup;

    const parameterGroup = new docdb.ClusterParameterGroup(this, 'Parameters', {
      description: 'Chat message store: TLS required, auditing and profiling on',
      family: 'docdb5.0',
      parameters: {
        tls: 'enabled',
        // 'enabled' audits authentication, DDL (createIndex, dropCollection) and user
        // management, not every message write, which keeps the log volume small.
        audit_logs: 'enabled',
        profiler: 'enabled',
        profiler_threshold_ms: '200',
      },
    });

    this.cluster = new docdb.DatabaseCluster(this, 'Resource', {
      engineVersion: props.engineVersion ?? '5.0.0',
      port: this.port,
      masterUser: {
        username: props.masterUsername ?? 'chatadmin',
        // Keep the password free of URI delimiters so it also works inside a mongodb:// URL.
        excludeCharacters: URI_UNSAFE_CHARACTERS,
      },
      instanceType: new ec2.InstanceType(props.instanceClass),
      instances: props.instances,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroup: this.securityGroup,
      parameterGroup,
      storageEncrypted: true,
      kmsKey: props.encryptionKey,
      // Pin the CA so a change of the regional default never surprises the clients, whose
      // bundle (/app/certs/global-bundle.pem) trusts this CA.
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      backup: { retention: Duration.days(props.backupRetentionDays), preferredWindow: '03:00-04:00' },
      preferredMaintenanceWindow: 'sun:05:00-sun:06:00',
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      copyTagsToSnapshot: true,
      enablePerformanceInsights: props.performanceInsights ?? false,
      exportAuditLogsToCloudWatch: true,
      exportProfilerLogsToCloudWatch: true,
      cloudWatchLogsRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    this.secret = generatedSecret(this.cluster);
    // Without its secret a retained database is locked; SNAPSHOT is not a secret policy.
    this.secret.applyRemovalPolicy(
      (props.removalPolicy ?? RemovalPolicy.RETAIN) === RemovalPolicy.DESTROY
        ? RemovalPolicy.DESTROY
        : RemovalPolicy.RETAIN,
    );
    if (props.masterRotation) {
      // Not cluster.addRotationSingleUser(): that puts the rotation function in the cluster's
      // isolated subnets, from where it cannot reach the Secrets Manager API.
      this.rotation = new secretsmanager.SecretRotation(this, 'MasterRotation', {
        secret: this.cluster.secret!,
        application: secretsmanager.SecretRotationApplication.MONGODB_ROTATION_SINGLE_USER,
        vpc: props.vpc,
        vpcSubnets: props.masterRotation.subnets,
        target: this.cluster,
        automaticallyAfter: props.masterRotation.every,
        excludeCharacters: URI_UNSAFE_CHARACTERS,
      });
    }
  }

  /** Cluster (writer) endpoint host name. */
  get endpointAddress(): string {
    return this.cluster.clusterEndpoint.hostname;
  }

  /** Port as a string, ready for an environment variable. */
  get endpointPort(): string {
    return this.cluster.clusterEndpoint.portAsString();
  }
}

/**
 * The generated master secret itself. `cluster.secret` is its target attachment, a different
 * construct; pinning the logical ID and acknowledging findings need the secret resource.
 */
function generatedSecret(owner: Construct): secretsmanager.Secret {
  const secret = owner.node.tryFindChild('Secret');
  if (!(secret instanceof secretsmanager.Secret)) {
    throw new Error(`${owner.node.path} has no generated secret`);
  }
  return secret;
}
