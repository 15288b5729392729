import { beforeAll, describe, expect, it } from '@jest/globals';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { builtStage, type BuiltStage } from './support/build-stage.js';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string }>;

const resourcesOf = (template: Template): Resources => template.toJSON().Resources as Resources;

/** The network stack export that carries the service security group id (a strong reference). */
const SERVICE_SG_REF = { 'Fn::ImportValue': Match.stringLikeRegexp('ServiceSecurityGroup') };
const fromServiceGroup = (r: { Properties?: Record<string, unknown> }) =>
  JSON.stringify(r.Properties?.['SourceSecurityGroupId']).includes('ServiceSecurityGroup');
/** The three data store groups (the rotation functions have groups of their own). */
const STORE_GROUP = /^(Redis|MessageStore|Mysql)SecurityGroup[0-9A-F]{8}$/;

let dev: BuiltStage;
let prod: BuiltStage;

beforeAll(() => {
  dev = builtStage('dev');
  prod = builtStage('prod');
});

describe('DataStack', () => {
  it('is termination protected in every stage', () => {
    expect(dev.stacks.data.terminationProtection).toBe(true);
    expect(prod.stacks.data.terminationProtection).toBe(true);
  });

  it.each([
    ['ChatDataKey', 'AWS::KMS::Key'],
    ['ChatRedisReplicationGroup', 'AWS::ElastiCache::ReplicationGroup'],
    ['ChatRedisAuthToken', 'AWS::SecretsManager::Secret'],
    ['ChatMessageStoreCluster', 'AWS::DocDB::DBCluster'],
    ['ChatMessageStoreSecret', 'AWS::SecretsManager::Secret'],
    ['ChatMessageStoreInstance1', 'AWS::DocDB::DBInstance'],
    ['ChatMysqlInstance', 'AWS::RDS::DBInstance'],
    ['ChatMysqlSecret', 'AWS::SecretsManager::Secret'],
    ['ChatJwtSecret', 'AWS::SecretsManager::Secret'],
    ['ChatMysqlAppSecret', 'AWS::SecretsManager::Secret'],
    ['ChatMysqlMigrationSecret', 'AWS::SecretsManager::Secret'],
    ['ChatMessageStoreAppSecret', 'AWS::SecretsManager::Secret'],
  ])('pins the logical ID %s (%s)', (logicalId, type) => {
    for (const stage of [dev, prod]) {
      expect(resourcesOf(stage.data)[logicalId]?.Type).toBe(type);
    }
  });

  it('pins one logical ID per DocumentDB instance', () => {
    prod.data.resourceCountIs('AWS::DocDB::DBInstance', 2);
    expect(resourcesOf(prod.data)['ChatMessageStoreInstance2']?.Type).toBe('AWS::DocDB::DBInstance');
  });

  describe('security groups', () => {
    it('admit only the service security group, each on its own port', () => {
      for (const stage of [dev, prod]) {
        const ingress = Object.values(resourcesOf(stage.data)).filter(
          (r) => r.Type === 'AWS::EC2::SecurityGroupIngress',
        );
        expect(
          ingress
            .filter(fromServiceGroup)
            .map((r) => r.Properties?.['FromPort'])
            .sort(),
        ).toEqual([27017, 3306, 6379]);
        // Besides the service, only the master-secret rotation functions, each to its own database.
        const others = ingress.filter((r) => !fromServiceGroup(r));
        expect(others.map((r) => JSON.stringify(r.Properties?.['SourceSecurityGroupId'])).sort()).toEqual([
          expect.stringContaining('MessageStoreMasterRotationSecurityGroup'),
          expect.stringContaining('MysqlRotationSingleUserSecurityGroup'),
        ]);
        for (const port of [6379, 27017, 3306]) {
          stage.data.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
            IpProtocol: 'tcp',
            FromPort: port,
            ToPort: port,
            SourceSecurityGroupId: SERVICE_SG_REF,
            CidrIp: Match.absent(),
            CidrIpv6: Match.absent(),
          });
        }
      }
    });

    it('have no inline CIDR ingress and no egress', () => {
      for (const stage of [dev, prod]) {
        const groups = Object.entries(stage.data.findResources('AWS::EC2::SecurityGroup'))
          .filter(([id]) => STORE_GROUP.test(id))
          .map(([, group]) => group);
        expect(groups).toHaveLength(3);
        for (const group of groups) {
          expect(group['Properties']['SecurityGroupIngress']).toBeUndefined();
          // CDK's placeholder rule for "no egress": ICMP to 255.255.255.255/32.
          expect(group['Properties']['SecurityGroupEgress']).toEqual([
            expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' }),
          ]);
        }
      }
    });

    it('are the only security groups attached to the data stores', () => {
      const sgOf = (logicalId: string) => [{ 'Fn::GetAtt': [logicalId, 'GroupId'] }];
      const groupIds = Object.keys(prod.data.findResources('AWS::EC2::SecurityGroup'));
      const redisSg = groupIds.find((id) => id.startsWith('RedisSecurityGroup'));
      const docdbSg = groupIds.find((id) => id.startsWith('MessageStoreSecurityGroup'));
      const mysqlSg = groupIds.find((id) => id.startsWith('MysqlSecurityGroup'));
      expect([redisSg, docdbSg, mysqlSg]).not.toContain(undefined);
      prod.data.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { SecurityGroupIds: sgOf(redisSg!) });
      prod.data.hasResourceProperties('AWS::DocDB::DBCluster', { VpcSecurityGroupIds: sgOf(docdbSg!) });
      prod.data.hasResourceProperties('AWS::RDS::DBInstance', { VPCSecurityGroups: sgOf(mysqlSg!) });
    });
  });

  describe('Redis / Valkey', () => {
    it('requires TLS, encrypts at rest with the data key and authenticates with the generated token', () => {
      for (const stage of [dev, prod]) {
        stage.data.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
          TransitEncryptionEnabled: true,
          TransitEncryptionMode: 'required',
          AtRestEncryptionEnabled: true,
          KmsKeyId: { 'Fn::GetAtt': ['ChatDataKey', 'Arn'] },
          AuthToken: {
            'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'ChatRedisAuthToken' }, ':SecretString:::}}']],
          },
        });
      }
    });

    it('never evicts keys, so no persist-stream entry (an unstored message) can be dropped', () => {
      for (const stage of [dev, prod]) {
        const group = stage.data.findResources('AWS::ElastiCache::ParameterGroup');
        const [logicalId, parameters] = Object.entries(group)[0]!;
        expect(parameters.Properties).toMatchObject({
          CacheParameterGroupFamily: 'valkey8',
          Properties: { 'maxmemory-policy': 'noeviction' },
        });
        stage.data.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
          CacheParameterGroupName: { Ref: logicalId },
        });
      }
    });

    it('has Multi-AZ automatic failover in prod and a single node in dev', () => {
      prod.data.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        NumCacheClusters: 3,
        MultiAZEnabled: true,
        AutomaticFailoverEnabled: true,
      });
      dev.data.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        NumCacheClusters: 1,
        MultiAZEnabled: false,
      });
    });
  });

  describe('DocumentDB', () => {
    it('enforces TLS through its cluster parameter group', () => {
      for (const stage of [dev, prod]) {
        stage.data.hasResourceProperties('AWS::DocDB::DBClusterParameterGroup', {
          Parameters: Match.objectLike({ tls: 'enabled', audit_logs: 'enabled' }),
        });
        const groups = Object.keys(stage.data.findResources('AWS::DocDB::DBClusterParameterGroup'));
        stage.data.hasResourceProperties('AWS::DocDB::DBCluster', {
          DBClusterParameterGroupName: { Ref: groups[0] },
        });
      }
    });

    it('encrypts storage with the data key, exports logs and takes credentials from its secret', () => {
      prod.data.hasResourceProperties('AWS::DocDB::DBCluster', {
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': ['ChatDataKey', 'Arn'] },
        EnableCloudwatchLogsExports: ['audit', 'profiler'],
        BackupRetentionPeriod: 30,
        MasterUserPassword: { 'Fn::Join': ['', Match.arrayWith([{ Ref: 'ChatMessageStoreSecret' }])] },
      });
    });
  });

  describe('MySQL', () => {
    it('runs MySQL 8.4, encrypted, private, with TLS required', () => {
      for (const stage of [dev, prod]) {
        stage.data.hasResourceProperties('AWS::RDS::DBInstance', {
          Engine: 'mysql',
          EngineVersion: Match.stringLikeRegexp('^8\\.4\\.'),
          StorageEncrypted: true,
          KmsKeyId: { 'Fn::GetAtt': ['ChatDataKey', 'Arn'] },
          PubliclyAccessible: false,
          DBName: 'chat',
          MasterUserPassword: { 'Fn::Join': ['', Match.arrayWith([{ Ref: 'ChatMysqlSecret' }])] },
        });
        stage.data.hasResourceProperties('AWS::RDS::DBParameterGroup', {
          Parameters: Match.objectLike({ require_secure_transport: 'ON' }),
        });
      }
    });

    it('is Multi-AZ in prod only', () => {
      prod.data.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: true });
      dev.data.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: false });
    });
  });

  describe('protection', () => {
    const stateful = ['ChatRedisReplicationGroup', 'ChatMessageStoreCluster', 'ChatMysqlInstance'];
    const keys = ['ChatDataKey', 'ChatRedisAuthToken', 'ChatMessageStoreSecret', 'ChatMysqlSecret', 'ChatJwtSecret'];

    it('retains data stores, keys and secrets in prod', () => {
      const resources = resourcesOf(prod.data);
      for (const id of [...stateful, ...keys]) expect([id, resources[id]?.DeletionPolicy]).toEqual([id, 'Retain']);
    });

    it('deletes them with the stack in dev', () => {
      const resources = resourcesOf(dev.data);
      for (const id of [...stateful, ...keys]) expect([id, resources[id]?.DeletionPolicy]).toEqual([id, 'Delete']);
    });

    it('turns on deletion protection in prod, not in dev', () => {
      prod.data.hasResourceProperties('AWS::DocDB::DBCluster', { DeletionProtection: true });
      prod.data.hasResourceProperties('AWS::RDS::DBInstance', { DeletionProtection: true });
      dev.data.hasResourceProperties('AWS::DocDB::DBCluster', { DeletionProtection: false });
      dev.data.hasResourceProperties('AWS::RDS::DBInstance', { DeletionProtection: false });
    });

    it('rotates the data key', () => {
      prod.data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });
  });
});
