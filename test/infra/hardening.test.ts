import { beforeAll, describe, expect, it } from '@jest/globals';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import {
  documentDbMaxConnections,
  mongoPoolSize,
  mysqlMaxConnections,
  peakTasks,
  rdsSupportsPerformanceInsights,
} from '../../infra/config/database-capacity.js';
import { resolveStageSettings, validateStageSettings, type StageName } from '../../infra/config/stages.js';
import { builtStage, defaultOverrides, type BuiltStage } from './support/build-stage.js';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: unknown };
const resources = (template: Template): Record<string, Resource> =>
  template.toJSON()['Resources'] as Record<string, Resource>;
const ofType = (template: Template, type: string) => Object.values(resources(template)).filter((r) => r.Type === type);

interface Container {
  Name: string;
  Command?: string[];
  Environment?: { Name: string; Value: unknown }[];
  ReadonlyRootFilesystem?: boolean;
  MountPoints?: unknown[];
}
const containersOf = (template: Template) =>
  ofType(template, 'AWS::ECS::TaskDefinition').map((t) => ({
    task: t.Properties,
    container: (t.Properties['ContainerDefinitions'] as Container[])[0]!,
  }));
const envOf = (container: Container) =>
  Object.fromEntries((container.Environment ?? []).map((e) => [e.Name, e.Value])) as Record<string, unknown>;
const alarmNamed = (template: Template, idPrefix: string) =>
  Object.entries(resources(template)).find(
    ([id, r]) => r.Type === 'AWS::CloudWatch::Alarm' && id.startsWith(`Monitoring${idPrefix}`),
  )?.[1];

const STAGES: StageName[] = ['dev', 'staging', 'prod'];
let dev: BuiltStage;
let staging: BuiltStage;
let prod: BuiltStage;

beforeAll(() => {
  dev = builtStage('dev');
  staging = builtStage('staging');
  prod = builtStage('prod');
});

describe('ops endpoints off the public path', () => {
  it('answers 404 on the serving listener for /metrics, /readyz and /docs before any target sees them', () => {
    for (const stage of [dev, prod]) {
      stage.service.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Priority: 1,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/metrics*', '/readyz*', '/docs*'] } }],
        Actions: [
          Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) }),
        ],
      });
    }
  });

  it('moves the ops routes to their own port, which the load balancer never targets', () => {
    const service = containersOf(prod.service).find((c) => c.container.Command === undefined)!;
    expect(envOf(service.container)['OPS_PORT']).toBe('9090');
    prod.service.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [Match.objectLike({ ContainerPort: 8080 })],
    });
  });
});

describe('AWS WAF', () => {
  it('guards the load balancer with the common rule set and per-IP limits on /auth/ and the WebSocket upgrade', () => {
    for (const stage of [dev, prod]) {
      const [acl] = ofType(stage.service, 'AWS::WAFv2::WebACL');
      expect(acl?.Properties).toEqual(expect.objectContaining({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } }));
      type Rule = { Name: string; Statement: { RateBasedStatement?: unknown; ManagedRuleGroupStatement?: unknown } };
      const rules = acl!.Properties['Rules'] as Rule[];
      const rate = (name: string) => rules.find((r) => r.Name === name)!.Statement.RateBasedStatement;
      expect(rate('AuthRateLimit')).toEqual(
        expect.objectContaining({
          AggregateKeyType: 'IP',
          Limit: 100,
          ScopeDownStatement: {
            ByteMatchStatement: expect.objectContaining({
              SearchString: '/auth/',
              PositionalConstraint: 'STARTS_WITH',
            }),
          },
        }),
      );
      expect(rate('WebSocketUpgradeRateLimit')).toEqual(
        expect.objectContaining({
          Limit: 1000,
          ScopeDownStatement: { ByteMatchStatement: expect.objectContaining({ SearchString: '/ws' }) },
        }),
      );
      const common = rules.find((r) => r['Name'] === 'AwsCommonRuleSet')!;
      expect(common.Statement.ManagedRuleGroupStatement).toEqual(
        expect.objectContaining({ VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' }),
      );
      stage.service.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        ResourceArn: { Ref: Match.stringLikeRegexp('^LoadBalancer') },
      });
    }
  });

  it('rejects rate limits WAF would not accept', () => {
    const settings = resolveStageSettings('dev');
    expect(() => validateStageSettings({ ...settings, waf: { ...settings.waf, authRequestsPer5Min: 5 } })).toThrow(
      /waf.authRequestsPer5Min must be a whole number between 10/,
    );
  });
});

describe('least-privilege database access', () => {
  it('gives the service only its app logins and the migration task only the database logins', () => {
    for (const stage of [dev, prod]) {
      for (const { container } of containersOf(stage.service)) {
        const secrets = (container as unknown as { Secrets: { Name: string; ValueFrom: unknown }[] }).Secrets;
        const from = (name: string) => JSON.stringify(secrets.find((s) => s.Name === name)?.ValueFrom);
        if (container.Command === undefined) {
          expect(from('MYSQL_USER')).toContain('ChatMysqlAppSecret');
          expect(from('MONGO_USERNAME')).toContain('ChatMessageStoreAppSecret');
          expect(JSON.stringify(secrets)).not.toMatch(/ChatMysqlSecret|ChatMessageStoreSecret[^A]/);
        } else {
          expect(from('MYSQL_USER')).toContain('ChatMysqlMigrationSecret');
          expect(from('MYSQL_ADMIN_USER')).toContain('ChatMysqlSecret');
          expect(from('MONGO_ADMIN_USERNAME')).toContain('ChatMessageStoreSecret');
          expect(JSON.stringify(secrets)).not.toMatch(/ChatRedisAuthToken|ChatJwtSecret/);
        }
      }
    }
  });

  it('generates the app and migration logins with fixed user names', () => {
    const secret = (id: string) =>
      resources(prod.data)[id]!.Properties['GenerateSecretString'] as Record<string, string>;
    expect(JSON.parse(secret('ChatMysqlAppSecret')['SecretStringTemplate']!)).toEqual({ username: 'chat_app' });
    expect(JSON.parse(secret('ChatMysqlMigrationSecret')['SecretStringTemplate']!)).toEqual({
      username: 'chat_migrator',
    });
    expect(JSON.parse(secret('ChatMessageStoreAppSecret')['SecretStringTemplate']!)).toEqual({ username: 'chat_app' });
  });

  it('rotates the RDS and DocumentDB master secrets every 30 days, from subnets that reach Secrets Manager', () => {
    for (const stage of [dev, prod]) {
      const schedules = ofType(stage.data, 'AWS::SecretsManager::RotationSchedule');
      expect(
        schedules
          .map((s) => s.Properties['SecretId'])
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      ).toEqual([
        expect.objectContaining({ Ref: expect.stringMatching(/^MessageStoreSecretAttachment/) }),
        expect.objectContaining({ Ref: expect.stringMatching(/^MysqlSecretAttachment/) }),
      ]);
      for (const schedule of schedules) {
        expect(schedule.Properties['RotationRules']).toEqual({ ScheduleExpression: 'rate(30 days)' });
      }
      const apps = ofType(stage.data, 'AWS::Serverless::Application');
      expect(apps).toHaveLength(2);
      for (const app of apps) {
        expect(JSON.stringify(app.Properties['Parameters'])).toMatch(/SubnetService|serviceSubnet/i);
      }
    }
  });
});

describe('database observability', () => {
  it('turns the MySQL slow query log on, to a file the slowquery export ships', () => {
    for (const stage of [dev, prod]) {
      stage.data.hasResourceProperties('AWS::RDS::DBParameterGroup', {
        Parameters: Match.objectLike({ slow_query_log: '1', long_query_time: '1', log_output: 'FILE' }),
      });
    }
  });

  it('has Performance Insights where the instance class supports it', () => {
    expect(resources(dev.data)['ChatMysqlInstance']!.Properties['EnablePerformanceInsights']).toBeUndefined();
    prod.data.hasResourceProperties('AWS::RDS::DBInstance', {
      EnablePerformanceInsights: true,
      PerformanceInsightsRetentionPeriod: 7,
      PerformanceInsightsKMSKeyId: { 'Fn::GetAtt': ['ChatDataKey', 'Arn'] },
    });
    for (const instance of ofType(prod.data, 'AWS::DocDB::DBInstance')) {
      expect(instance.Properties['EnablePerformanceInsights']).toBe(true);
    }
    for (const instance of ofType(dev.data, 'AWS::DocDB::DBInstance')) {
      expect(instance.Properties['EnablePerformanceInsights']).toBe(false);
    }
    expect([rdsSupportsPerformanceInsights('t4g.micro'), rdsSupportsPerformanceInsights('m7g.large')]).toEqual([
      false,
      true,
    ]);
  });

  it.each([
    'ServiceMemoryHigh',
    'ActiveConnectionsMissing',
    'LoadBalancerRejectedConnections',
    'MysqlConnectionsHigh',
    'MysqlFreeableMemoryLow',
    'DocumentDbConnectionsHigh',
    'DocumentDbFreeableMemoryLow',
    'RedisConnectionsHigh',
    'RedisReplicationLagHigh',
  ])('alarms on %s in prod', (name) => {
    expect(alarmNamed(prod.service, name)).toBeDefined();
  });

  it('treats a missing ActiveConnections metric as breaching', () => {
    const alarm = alarmNamed(prod.service, 'ActiveConnectionsMissing')!.Properties;
    expect(alarm).toEqual(
      expect.objectContaining({ ComparisonOperator: 'LessThanThreshold', Threshold: 1, TreatMissingData: 'breaching' }),
    );
    const [query] = alarm['Metrics'] as Array<{ MetricStat: { Stat: string; Metric: Record<string, unknown> } }>;
    expect(query!.MetricStat.Stat).toBe('SampleCount');
    expect(query!.MetricStat.Metric).toEqual(
      expect.objectContaining({ Namespace: 'ChatBackend', MetricName: 'ActiveConnections' }),
    );
  });

  it('sizes the connection alarms from the instance classes, and skips replication lag without replicas', () => {
    expect(alarmNamed(prod.service, 'DocumentDbConnectionsHigh')!.Properties['Threshold']).toBe(1360);
    expect(alarmNamed(prod.service, 'MysqlConnectionsHigh')!.Properties['Threshold']).toBe(
      Math.floor(mysqlMaxConnections('m7g.large') * 0.8),
    );
    expect(alarmNamed(dev.service, 'RedisReplicationLagHigh')).toBeUndefined();
    expect(alarmNamed(staging.service, 'RedisReplicationLagHigh')).toBeDefined();
  });

  it('bounds the Mongo pool so every task fits under the DocumentDB connection limit at peak', () => {
    const expected: Record<StageName, number> = { dev: 98, staging: 48, prod: 20 };
    for (const name of STAGES) {
      const settings = resolveStageSettings(name, defaultOverrides(name));
      const { container } = containersOf(builtStage(name).service).find((c) => c.container.Command === undefined)!;
      const pool = Number(envOf(container)['MONGO_MAX_POOL_SIZE']);
      expect(pool).toBe(expected[name]);
      const peak = peakTasks(settings.service.maxTasks) * (pool + 2);
      expect(peak).toBeLessThanOrEqual(0.8 * documentDbMaxConnections(settings.documentDb.instanceClass));
    }
    expect(mongoPoolSize('r6g.large', 30)).toBe(20);
  });
});

describe('drain without a standing API load', () => {
  it('asks DescribeTargetHealth only after the health checks were silent for over two intervals', () => {
    const { container } = containersOf(prod.service).find((c) => c.container.Command === undefined)!;
    const silence = Number(envOf(container)['DRAIN_HEALTH_CHECK_SILENCE_MS']);
    const [targetGroup] = ofType(prod.service, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    const interval = Number(targetGroup!.Properties['HealthCheckIntervalSeconds']) * 1000;
    expect(silence).toBeGreaterThan(2 * interval);
    // Detection plus the server's drain still ends before the load balancer cuts the sockets.
    expect(silence + Number(envOf(container)['SHUTDOWN_DRAIN_MS'])).toBeLessThan(110_000);
  });

  it('adds interface endpoints for ECR, Secrets Manager and Logs in prod only', () => {
    const services = ofType(prod.network, 'AWS::EC2::VPCEndpoint')
      .filter((e) => e.Properties['VpcEndpointType'] === 'Interface')
      .map((e) => JSON.stringify(e.Properties['ServiceName']));
    expect(services).toHaveLength(4);
    for (const name of ['ecr.api', 'ecr.dkr', 'secretsmanager', 'logs']) {
      expect(services.some((s) => s.includes(name))).toBe(true);
    }
    expect(
      ofType(dev.network, 'AWS::EC2::VPCEndpoint').filter((e) => e.Properties['VpcEndpointType'] === 'Interface'),
    ).toHaveLength(0);
  });
});

describe('compute and network', () => {
  it('runs every task on ARM64 with a read-only root filesystem and a scratch volume', () => {
    for (const stage of [dev, prod]) {
      for (const { task, container } of containersOf(stage.service)) {
        expect(task['RuntimePlatform']).toEqual({ CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' });
        expect(container.ReadonlyRootFilesystem).toBe(true);
        expect(container.MountPoints).toEqual([{ ContainerPath: '/tmp', ReadOnly: false, SourceVolume: 'scratch' }]);
        expect(task['Volumes']).toEqual([{ Name: 'scratch' }]);
      }
    }
  });

  it('uses Fargate Spot in dev and staging (with an on-demand base in staging), regular Fargate in prod', () => {
    dev.service.hasResourceProperties('AWS::ECS::Service', {
      CapacityProviderStrategy: [
        { CapacityProvider: 'FARGATE', Base: 0, Weight: 0 },
        { CapacityProvider: 'FARGATE_SPOT', Weight: 1 },
      ],
    });
    staging.service.hasResourceProperties('AWS::ECS::Service', {
      CapacityProviderStrategy: [
        { CapacityProvider: 'FARGATE', Base: 1, Weight: 0 },
        { CapacityProvider: 'FARGATE_SPOT', Weight: 1 },
      ],
    });
    prod.service.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      CapacityProviderStrategy: Match.absent(),
    });
    const settings = resolveStageSettings('prod', defaultOverrides('prod'));
    expect(() =>
      validateStageSettings({ ...settings, service: { ...settings.service, fargateSpot: { onDemandBase: 1 } } }),
    ).toThrow(/fargateSpot must be off in prod/);
  });

  it('limits the service egress to HTTPS and the data store ports inside the VPC', () => {
    const [group] = Object.entries(resources(prod.network)).filter(([id]) => id.startsWith('ServiceSecurityGroup'));
    const egress = group![1].Properties['SecurityGroupEgress'] as Array<Record<string, unknown>>;
    expect(egress.map((rule) => [rule['CidrIp'], rule['FromPort']]).sort()).toEqual([
      ['0.0.0.0/0', 443],
      ['10.40.0.0/16', 27017],
      ['10.40.0.0/16', 3306],
      ['10.40.0.0/16', 6379],
    ]);
  });

  it('protects the network and data stacks from deletion everywhere, the service stack where data is protected', () => {
    for (const stage of [dev, prod]) {
      expect(stage.stacks.network.terminationProtection).toBe(true);
      expect(stage.stacks.data.terminationProtection).toBe(true);
    }
    expect(dev.stacks.service.terminationProtection).toBe(false);
    expect(prod.stacks.service.terminationProtection).toBe(true);
  });

  it('references the VPC, the security groups and the data stores through exports (strong references)', () => {
    const service = JSON.stringify(prod.service.toJSON());
    for (const name of [
      'ServiceSecurityGroup',
      'ChatMysqlInstance',
      'ChatRedisReplicationGroup',
      'ChatMessageStoreCluster',
      'ChatMysqlAppSecret',
      'ChatJwtSecret',
    ]) {
      expect(service).toMatch(new RegExp(`"Fn::ImportValue":"Chat-prod-(Network|Data):ExportsOutput[^"]*${name}`));
    }
    expect(JSON.stringify(prod.data.toJSON())).toMatch(/"Fn::ImportValue":"Chat-prod-Network:ExportsOutput[^"]*Vpc/);
  });
});

describe('honest acknowledgements', () => {
  it('logs every waiter state transition (SF1) without execution data', () => {
    prod.service.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
  });
});
