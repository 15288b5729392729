import { Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DataStoreSecurityGroup } from './data-store-security-group.js';

export interface RedisReplicationGroupProps {
  readonly vpc: ec2.IVpc;
  /** Subnets for the cache nodes. */
  readonly vpcSubnets: ec2.SubnetSelection;
  /** The only security group allowed to connect. */
  readonly allowFrom: ec2.ISecurityGroup;
  /** ElastiCache node type, e.g. `cache.t4g.micro`. */
  readonly nodeType: string;
  /** Read replicas (per shard in cluster mode); ≥ 1 turns on Multi-AZ with automatic failover. */
  readonly replicas: number;
  /**
   * Cluster mode enabled with this many shards (docs/adr/0004-redis-cluster.md); absent: cluster
   * mode disabled, one primary.
   */
  readonly shards?: number;
  /** Key for encryption at rest. */
  readonly encryptionKey: kms.IKey;
  /**
   * Engine. Valkey is the open-source Redis fork ElastiCache prices ~20% below Redis OSS;
   * ioredis speaks to it unchanged.
   * @default 'valkey'
   */
  readonly engine?: 'valkey' | 'redis';
  /** @default '8.0' */
  readonly engineVersion?: string;
  /** @default 6379 */
  readonly port?: number;
  /** Daily snapshots to keep (0 disables them). @default 1 */
  readonly snapshotRetentionDays?: number;
  /** Retention of the slow log in CloudWatch Logs. @default logs.RetentionDays.ONE_MONTH */
  readonly slowLogRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Valkey/Redis replication group: by default cluster mode disabled (one primary, n replicas),
 * the shape that suits Pub/Sub fan-out; with `shards`, cluster mode enabled (sharded Pub/Sub,
 * each shard a primary and n replicas). TLS required in transit, KMS at rest, and an AUTH
 * token generated in Secrets Manager so it never appears in code or the template.
 */
export class RedisReplicationGroup extends Construct {
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  readonly authToken: secretsmanager.Secret;
  readonly securityGroup: ec2.SecurityGroup;
  readonly port: number;
  /** Number of nodes (primaries + replicas). */
  readonly nodeCount: number;
  /** Shards in cluster mode; undefined when cluster mode is disabled. */
  readonly shards: number | undefined;

  constructor(scope: Construct, id: string, props: RedisReplicationGroupProps) {
    super(scope, id);
    this.port = props.port ?? 6379;
    this.shards = props.shards;
    this.nodeCount = (props.shards ?? 1) * (1 + props.replicas);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    // Cluster mode enabled always fails over automatically (ElastiCache requires it).
    const failover = props.replicas > 0 || props.shards !== undefined;

    this.securityGroup = new DataStoreSecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      allowFrom: props.allowFrom,
      port: this.port,
      storeName: 'Redis',
    }).securityGroup;

    this.authToken = new secretsmanager.Secret(this, 'AuthToken', {
      description: 'AUTH token of the chat Redis/Valkey replication group',
      // ElastiCache tokens are 16-128 printable characters without space, ", / or @;
      // alphanumerics only keeps them safe in any client configuration format as well.
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      // SNAPSHOT is not a secret policy; keep the token whenever the data may be kept.
      removalPolicy: removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });

    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'SubnetGroup', {
      description: 'Chat Redis subnets',
      subnetIds: props.vpc.selectSubnets(props.vpcSubnets).subnetIds,
    });

    const slowLog = new logs.LogGroup(this, 'SlowLog', {
      retention: props.slowLogRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const engine = props.engine ?? 'valkey';
    const engineVersion = props.engineVersion ?? '8.0';
    // Never evict: the persist stream and the replay logs have no TTL, and an evicted persist
    // entry is a message lost. A full Redis must fail publishes (visible) instead.
    const parameterGroup = new elasticache.CfnParameterGroup(this, 'Parameters', {
      description: 'Chat backplane: no eviction (persist stream entries must never be dropped)',
      cacheParameterGroupFamily: `${engine}${engineVersion.split('.')[0]}`,
      properties: {
        'maxmemory-policy': 'noeviction',
        ...(props.shards === undefined ? {} : { 'cluster-enabled': 'yes' }),
      },
    });

    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'Resource', {
      replicationGroupDescription: 'Chat backplane: sequences, room logs, pub/sub, presence',
      engine,
      engineVersion,
      cacheParameterGroupName: parameterGroup.ref,
      cacheNodeType: props.nodeType,
      ...(props.shards === undefined
        ? { numCacheClusters: this.nodeCount }
        : { clusterMode: 'enabled', numNodeGroups: props.shards, replicasPerNodeGroup: props.replicas }),
      automaticFailoverEnabled: failover,
      multiAzEnabled: props.replicas > 0,
      port: this.port,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      atRestEncryptionEnabled: true,
      kmsKeyId: props.encryptionKey.keyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      authToken: this.authToken.secretValue.unsafeUnwrap(),
      autoMinorVersionUpgrade: true,
      snapshotRetentionLimit: props.snapshotRetentionDays ?? 1,
      snapshotWindow: '02:00-03:00',
      preferredMaintenanceWindow: 'sun:04:00-sun:05:00',
      logDeliveryConfigurations: [
        {
          destinationType: 'cloudwatch-logs',
          destinationDetails: { cloudWatchLogsDetails: { logGroup: slowLog.logGroupName } },
          logFormat: 'json',
          logType: 'slow-log',
        },
      ],
    });
    this.replicationGroup.applyRemovalPolicy(removalPolicy);
  }

  /** Primary endpoint host name (follows the primary across failovers); in cluster mode the configuration endpoint. */
  get endpointAddress(): string {
    return this.shards === undefined
      ? this.replicationGroup.attrPrimaryEndPointAddress
      : this.replicationGroup.attrConfigurationEndPointAddress;
  }

  /** Primary (or, in cluster mode, configuration) endpoint port as a string, ready for an environment variable. */
  get endpointPort(): string {
    return this.shards === undefined
      ? this.replicationGroup.attrPrimaryEndPointPort
      : this.replicationGroup.attrConfigurationEndPointPort;
  }

  /** What the app needs beyond host and port to use this group: REDIS_CLUSTER in cluster mode. */
  get clusterEnvironment(): { readonly REDIS_CLUSTER?: 'true' } {
    return this.shards === undefined ? {} : { REDIS_CLUSTER: 'true' };
  }

  /** Member cluster ids: `<group>-001`…, or in cluster mode `<group>-0001-001`… (shard, node). */
  private memberIds(): string[] {
    const nodesPerShard = this.nodeCount / (this.shards ?? 1);
    const ids: string[] = [];
    for (let shard = 1; shard <= (this.shards ?? 1); shard++) {
      for (let node = 1; node <= nodesPerShard; node++) {
        const suffix = String(node).padStart(3, '0');
        ids.push(this.shards === undefined ? suffix : `${String(shard).padStart(4, '0')}-${suffix}`);
      }
    }
    return ids;
  }

  /**
   * The worst node's value of an AWS/ElastiCache metric. Any node can be primary after a
   * failover, so alarms watch the maximum over all member clusters (`<group>-001`, ...).
   */
  metricMaxOverNodes(metricName: string, period: Duration = Duration.minutes(5)): cloudwatch.IMetric {
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    // Ids must be unique per graph, which may show several of these expressions.
    const idPrefix = metricName.toLowerCase().replace(/[^a-z0-9]/g, '');
    for (const [i, member] of this.memberIds().entries()) {
      usingMetrics[`${idPrefix}_${i + 1}`] = new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache',
        metricName,
        dimensionsMap: { CacheClusterId: Fn.join('-', [this.replicationGroup.ref, member]) },
        statistic: cloudwatch.Stats.MAXIMUM,
        period,
      });
    }
    return new cloudwatch.MathExpression({
      expression: `MAX([${Object.keys(usingMetrics).join(',')}])`,
      usingMetrics,
      label: `${metricName} (max over nodes)`,
      period,
    });
  }
}
