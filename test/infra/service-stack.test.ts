import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Match, Capture, type Template } from 'aws-cdk-lib/assertions';
import { buildStage, builtStage, REPO_ROOT, TEST_CERTIFICATE_ARN, type BuiltStage } from './support/build-stage.js';
import { expectPrivateTlsOnlyBucket } from './support/private-bucket.js';
import { ecsVariables } from '../../app/src/config/environment-variables.js';
import { loadConfig } from '../../app/src/config/load-config.js';

interface ContainerDefinition {
  Name: string;
  Image: unknown;
  Command?: string[];
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: { Name: string; ValueFrom: unknown }[];
  [key: string]: unknown;
}

function containers(template: Template): ContainerDefinition[] {
  return Object.values(template.findResources('AWS::ECS::TaskDefinition')).flatMap(
    (r) => r['Properties']['ContainerDefinitions'] as ContainerDefinition[],
  );
}

interface PolicyStatement {
  Action: unknown;
  Resource: unknown;
  Condition?: unknown;
}

function policyStatements(template: Template): PolicyStatement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => p['Properties']['PolicyDocument']['Statement'] as PolicyStatement[],
  );
}

const env = (container: ContainerDefinition): Record<string, unknown> =>
  Object.fromEntries((container.Environment ?? []).map((e) => [e.Name, e.Value]));

const serviceContainer = (t: Template) => containers(t).find((c) => c.Command === undefined)!;
const migrationContainer = (t: Template) => containers(t).find((c) => c.Command !== undefined)!;

/** What prod's serving task reads in plain: what every stage sets, and the receipts and origins prod configures. */
const PLAIN_ENV = [
  ...ecsVariables('service', 'plain', 'always'),
  'RECEIPT_WAIT_REPLICAS',
  'RECEIPT_WAIT_TIMEOUT_MS',
  'ALLOWED_ORIGINS',
];
/** The service's secrets: its least-privilege logins, the Redis token and the JWT key. */
const SECRET_ENV = ecsVariables('service', 'secret', 'always');
/** The migration task's: its own login, the master logins and the app logins it provisions. No Redis, no JWT. */
const MIGRATION_SECRET_ENV = ecsVariables('migration', 'secret');

/** What the serving tasks get once a stage opens client topics (with every option set). */
const CLIENT_TOPIC_ENV = [
  'STOMP_CLIENT_TOPICS',
  'STOMP_CLIENT_TOPIC_MAX_BODY_BYTES',
  'STOMP_CLIENT_TOPICS_EPHEMERAL',
  'STOMP_CLIENT_TOPIC_RETENTION_MS',
];

let dev: BuiltStage;
let prod: BuiltStage;

beforeAll(() => {
  dev = builtStage('dev');
  prod = builtStage('prod');
});

describe('ServiceStack', () => {
  describe('load balancer', () => {
    it('is internet-facing, keeps idle WebSockets for 120 s, drops invalid headers and logs access', () => {
      for (const stage of [dev, prod]) {
        stage.service.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
          Scheme: 'internet-facing',
          LoadBalancerAttributes: Match.arrayWith([
            { Key: 'idle_timeout.timeout_seconds', Value: '120' },
            { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
            { Key: 'access_logs.s3.enabled', Value: 'true' },
          ]),
        });
      }
      prod.service.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }]),
      });
    });

    it('writes access logs to an encrypted, private, TLS-only bucket', () => {
      expectPrivateTlsOnlyBucket(prod.service);
      prod.service.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 's3:PutObject',
              Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
            }),
          ]),
        },
      });
    });

    it('routes to an HTTP/1 target group with /healthz, 110 s draining, short cookie stickiness and slow start', () => {
      prod.service.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Protocol: 'HTTP',
        ProtocolVersion: 'HTTP1',
        Port: 8080,
        TargetType: 'ip',
        HealthCheckPath: '/healthz',
        Matcher: { HttpCode: '200' },
        TargetGroupAttributes: Match.arrayWith([
          { Key: 'deregistration_delay.timeout_seconds', Value: '110' },
          { Key: 'slow_start.duration_seconds', Value: '60' },
          { Key: 'stickiness.enabled', Value: 'true' },
          { Key: 'stickiness.type', Value: 'lb_cookie' },
          { Key: 'stickiness.lb_cookie.duration_seconds', Value: '120' },
        ]),
      });
    });

    it('serves HTTPS with the certificate and redirects HTTP in prod', () => {
      prod.service.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
      prod.service.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'HTTPS',
        Certificates: [{ CertificateArn: TEST_CERTIFICATE_ARN }],
        SslPolicy: Match.stringLikeRegexp('TLS13'),
        DefaultActions: [Match.objectLike({ Type: 'forward' })],
      });
      prod.service.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [
          { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
        ],
      });
    });

    it('serves plain HTTP in dev without a certificate', () => {
      dev.service.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
      dev.service.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [Match.objectLike({ Type: 'forward' })],
      });
    });

    it('serves HTTPS in dev when a certificate is given', () => {
      const devTls = buildStage('dev', { overrides: { certificateArn: TEST_CERTIFICATE_ARN } });
      devTls.service.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS' });
    });
  });

  describe('task definition', () => {
    it('gives the server 120 s to drain, a high open-file limit and a node health check', () => {
      for (const stage of [dev, prod]) {
        expect(serviceContainer(stage.service)).toEqual(
          expect.objectContaining({
            StopTimeout: 120,
            Ulimits: [{ Name: 'nofile', SoftLimit: 65536, HardLimit: 65536 }],
            PortMappings: [
              expect.objectContaining({ ContainerPort: 8080 }),
              expect.objectContaining({ ContainerPort: 9090 }),
            ],
            HealthCheck: expect.objectContaining({
              Command: ['CMD', 'node', '/app/dist/app/src/ops/healthcheck.js'],
            }),
          }),
        );
      }
    });

    it('logs to CloudWatch without blocking the event loop, with the stage retention', () => {
      expect(serviceContainer(prod.service)['LogConfiguration']).toEqual({
        LogDriver: 'awslogs',
        Options: expect.objectContaining({ mode: 'non-blocking', 'awslogs-stream-prefix': 'chat' }),
      });
      prod.service.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
      dev.service.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    });

    it('passes exactly the agreed plain configuration', () => {
      const env = Object.fromEntries(serviceContainer(prod.service).Environment!.map((e) => [e.Name, e.Value]));
      expect(Object.keys(env).sort()).toEqual([...PLAIN_ENV].sort());
      expect(env).toEqual(
        expect.objectContaining({
          NODE_ENV: 'production',
          PORT: '8080',
          BACKPLANE: 'redis',
          MESSAGE_STORE: 'mongo',
          REDIS_TLS: 'true',
          MYSQL_DATABASE: 'chat',
          MONGO_TLS_CA_FILE: '/app/certs/global-bundle.pem',
          MONGO_REPLICA_SET: 'rs0',
          MONGO_RETRY_WRITES: 'false',
          MONGO_READ_PREFERENCE: 'secondaryPreferred',
          SHUTDOWN_DRAIN_MS: '60000',
          METRICS_SERVICE_NAME: 'chat-prod',
          RECEIPT_WAIT_REPLICAS: '1',
          RECEIPT_WAIT_TIMEOUT_MS: '500',
          TRUST_PROXY: '1',
        }),
      );
    });

    it('makes prod receipts wait for a replica, and only prod', () => {
      expect(env(serviceContainer(prod.service))['RECEIPT_WAIT_REPLICAS']).toBe('1');
      expect(env(serviceContainer(dev.service))['RECEIPT_WAIT_REPLICAS']).toBeUndefined();
    });

    it('tells the app to talk TLS to MySQL, trusting the RDS CA bundle baked into the image', () => {
      for (const container of [serviceContainer(prod.service), migrationContainer(prod.service)]) {
        expect(container.Environment).toEqual(
          expect.arrayContaining([
            { Name: 'MYSQL_TLS', Value: 'true' },
            { Name: 'MYSQL_TLS_CA_FILE', Value: '/app/certs/global-bundle.pem' },
          ]),
        );
      }
    });

    it('passes the allowed origins when they are set, and only then', () => {
      expect(env(serviceContainer(prod.service))['ALLOWED_ORIGINS']).toBe(
        'https://chat.example.com,https://admin.example.com',
      );
      expect(env(migrationContainer(prod.service))['ALLOWED_ORIGINS']).toBeUndefined();
      expect(env(serviceContainer(dev.service))['ALLOWED_ORIGINS']).toBeUndefined();
    });

    it('never puts a credential in plain environment; they come from Secrets Manager', () => {
      for (const container of [...containers(dev.service), ...containers(prod.service)]) {
        const names = container.Environment!.map((e) => e.Name);
        expect(names.filter((n) => /PASSWORD|SECRET|TOKEN|USER/.test(n))).toEqual([]);
        const expected = container.Command === undefined ? SECRET_ENV : MIGRATION_SECRET_ENV;
        expect(container.Secrets!.map((s) => s.Name).sort()).toEqual([...expected].sort());
        for (const secret of container.Secrets!) {
          expect(JSON.stringify(secret.ValueFrom)).toMatch(/Chat(Redis|Mysql|MessageStore|Jwt)/);
        }
      }
      const mysqlUser = serviceContainer(prod.service).Secrets!.find((s) => s.Name === 'MYSQL_USER')!;
      expect(mysqlUser.ValueFrom).toEqual({ 'Fn::Join': ['', [expect.anything(), ':username::']] });
    });

    it.each(['dev', 'staging', 'prod'] as const)(
      'fits the drain inside the deregistration delay, inside stopTimeout, in %s',
      (stage) => {
        const { service } = builtStage(stage);
        const drainMs = Number(env(serviceContainer(service))['SHUTDOWN_DRAIN_MS']);
        const targetGroup = Object.values(service.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))[0]!;
        const delaySeconds = Number(
          (targetGroup['Properties']['TargetGroupAttributes'] as { Key: string; Value: string }[]).find(
            (a) => a.Key === 'deregistration_delay.timeout_seconds',
          )!.Value,
        );
        const stopTimeoutSeconds = serviceContainer(service)['StopTimeout'] as number;

        expect([drainMs, delaySeconds, stopTimeoutSeconds]).toEqual([60_000, 110, 120]);
        expect(drainMs).toBeLessThan(delaySeconds * 1000);
        expect(delaySeconds).toBeLessThan(stopTimeoutSeconds);
        expect(stopTimeoutSeconds).toBeLessThanOrEqual(120); // Fargate maximum
      },
    );

    it('lets the serving tasks notice their own deregistration and drain then', () => {
      for (const stage of [dev, prod]) {
        const targetGroupId = Object.keys(stage.service.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))[0]!;
        expect(env(serviceContainer(stage.service))).toEqual(
          expect.objectContaining({ DRAIN_ON_DEREGISTRATION: 'true', TARGET_GROUP_ARN: { Ref: targetGroupId } }),
        );
        // The one-off migration task is never registered, so it has nothing to watch.
        expect(env(migrationContainer(stage.service))['DRAIN_ON_DEREGISTRATION']).toBeUndefined();
        expect(env(migrationContainer(stage.service))['TARGET_GROUP_ARN']).toBeUndefined();

        // DescribeTargetHealth has no resource-level permissions: `*`, on the service task role only.
        // (Statements on `*` are merged, so in dev it shares one with the ECS Exec channel actions.)
        const grants = Object.values(stage.service.findResources('AWS::IAM::Policy')).flatMap((p) =>
          (p['Properties']['PolicyDocument']['Statement'] as PolicyStatement[])
            .filter((st) => [st.Action].flat().includes('elasticloadbalancing:DescribeTargetHealth'))
            .map((st) => ({ roles: p['Properties']['Roles'] as unknown, resource: st.Resource })),
        );
        expect(grants).toEqual([{ roles: [{ Ref: expect.stringMatching(/^ServiceTaskTaskRole/) }], resource: '*' }]);
      }
    });

    it('builds the image from the repository Dockerfile without shipping local clutter', () => {
      const asset = prod.app.node
        .findAll()
        .find((c) => c.node.id === 'Image' && c.node.scope?.node.id === prod.stacks.service.node.id);
      expect(asset).toBeDefined();
      const staged = readdirSync(
        join(prod.app.outdir, `asset.${(asset as unknown as { assetHash: string }).assetHash}`),
      );
      expect(staged).toEqual(expect.arrayContaining(['Dockerfile', 'package.json', 'package-lock.json', 'app']));
      for (const excluded of ['node_modules', 'dist', 'cdk.out', 'infra', 'test', '.git']) {
        expect(staged).not.toContain(excluded);
      }
    });
  });

  describe('client topics (STOMP_CLIENT_*)', () => {
    const clientTopics = {
      patterns: ['/topic/bench', '/topic/e2e.**'],
      maxBodyBytes: 4096,
      ephemeral: true,
      retentionMs: 3_600_000,
    };
    let opened: BuiltStage;
    beforeAll(() => {
      opened = buildStage('dev', { settings: { clientTopics } });
    });

    it('opens none where the stage lists none: every stage denies direct SENDs by default', () => {
      for (const stage of [dev, prod]) {
        for (const container of containers(stage.service)) {
          expect(Object.keys(env(container)).filter((name) => name.startsWith('STOMP_CLIENT_'))).toEqual([]);
        }
      }
    });

    it('passes the listed patterns and options to the serving tasks only, adding nothing else', () => {
      const added = env(serviceContainer(opened.service));
      const before = env(serviceContainer(dev.service));
      expect(Object.keys(added).filter((name) => !(name in before))).toEqual(CLIENT_TOPIC_ENV);
      expect(added).toEqual(
        expect.objectContaining({
          STOMP_CLIENT_TOPICS: '/topic/bench,/topic/e2e.**',
          STOMP_CLIENT_TOPIC_MAX_BODY_BYTES: '4096',
          STOMP_CLIENT_TOPICS_EPHEMERAL: 'true',
        }),
      );
      expect(Object.keys(env(migrationContainer(opened.service))).filter((n) => n.startsWith('STOMP_CLIENT_'))).toEqual(
        [],
      );
    });

    it('passes only the options a stage sets', () => {
      const { service } = buildStage('dev', { settings: { clientTopics: { patterns: ['/topic/bench'] } } });
      const names = Object.keys(env(serviceContainer(service))).filter((n) => n.startsWith('STOMP_CLIENT_'));
      expect(names).toEqual(['STOMP_CLIENT_TOPICS']);
    });

    it('reads back in the app as the stage wrote it, and covers every STOMP_CLIENT_* the app reads', () => {
      const container = env(serviceContainer(opened.service));
      const passed = Object.fromEntries(CLIENT_TOPIC_ENV.map((name) => [name, container[name] as string]));
      expect(loadConfig(passed).stomp.clientTopics).toEqual(clientTopics);
      const source = readFileSync(join(REPO_ROOT, 'app/src/config/load-config.ts'), 'utf8');
      const read = [...new Set(source.match(/'STOMP_CLIENT_[A-Z_]+'/g)!.map((quoted) => quoted.slice(1, -1)))];
      expect(read.sort()).toEqual([...CLIENT_TOPIC_ENV].sort());
    });

    it.each([
      [
        '/topic/rooms.*',
        "clientTopics.patterns: '/topic/rooms.*' must start with /topic/ (wildcard only as a trailing **)",
      ],
      [
        '/queue/bench',
        "clientTopics.patterns: '/queue/bench' must start with /topic/ (wildcard only as a trailing **)",
      ],
      ['/topic/a,/topic/b', "clientTopics.patterns: '/topic/a,/topic/b' must not contain ','"],
    ])('refuses to synthesize with the pattern %s, saying why', (pattern, message) => {
      expect(() => buildStage('dev', { settings: { clientTopics: { patterns: [pattern] } } })).toThrow(
        `stage dev: ${message}`,
      );
    });
  });

  describe('service', () => {
    it('runs Fargate tasks in private subnets behind the target group with a rollback circuit breaker', () => {
      prod.service.hasResourceProperties('AWS::ECS::Service', {
        LaunchType: 'FARGATE',
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
        DeploymentConfiguration: {
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          MinimumHealthyPercent: 100,
          MaximumPercent: 200,
        },
        LoadBalancers: [Match.objectLike({ ContainerPort: 8080 })],
        // A deploy must not reset the count that autoscaling chose.
        DesiredCount: Match.absent(),
      });
    });

    it('allows ECS Exec in dev only', () => {
      dev.service.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
      prod.service.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: false });
    });

    it('has Container Insights on', () => {
      prod.service.hasResourceProperties('AWS::ECS::Cluster', {
        ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
      });
    });
  });

  describe('autoscaling', () => {
    it('scales between the stage limits', () => {
      prod.service.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: 3,
        MaxCapacity: 30,
        ScalableDimension: 'ecs:service:DesiredCount',
      });
    });

    it('tracks CPU with quick scale-out and slow scale-in', () => {
      prod.service.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: 60,
          ScaleOutCooldown: 60,
          ScaleInCooldown: 600,
        },
      });
    });

    it('tracks the ActiveConnections metric the tasks emit, per task', () => {
      const dimension = new Capture();
      prod.service.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: {
          CustomizedMetricSpecification: {
            Namespace: 'ChatBackend',
            MetricName: 'ActiveConnections',
            Dimensions: [{ Name: 'Service', Value: dimension }],
            Statistic: 'Average',
          },
          TargetValue: 4000,
          ScaleOutCooldown: 60,
          ScaleInCooldown: 600,
        },
      });
      const env = serviceContainer(prod.service).Environment!;
      expect(env.find((e) => e.Name === 'METRICS_SERVICE_NAME')?.Value).toBe(dimension.asString());
    });
  });

  describe('migration', () => {
    it('runs the same image as a one-off task with the migrate command', () => {
      const migrate = migrationContainer(prod.service);
      expect(migrate.Command).toEqual(['node', 'dist/app/src/database/migrate.js']);
      expect(migrate.Image).toEqual(serviceContainer(prod.service).Image);
      expect(migrate['PortMappings']).toBeUndefined();
      expect(migrate.Secrets!.map((s) => s.Name).sort()).toEqual([...MIGRATION_SECRET_ENV].sort());
    });

    it('runs it through a custom resource once per image, before the service rolls', () => {
      const resources = prod.service.findResources('Custom::DatabaseMigration');
      expect(Object.keys(resources)).toHaveLength(1);
      const [logicalId, resource] = Object.entries(resources)[0]!;
      const migrationTaskId = Object.keys(prod.service.findResources('AWS::ECS::TaskDefinition')).find((id) =>
        id.startsWith('MigrationTask'),
      );
      expect(resource['Properties']).toEqual({
        ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^MigrationProviderframeworkonEvent/), 'Arn'] },
        Cluster: { 'Fn::GetAtt': [expect.stringMatching(/^Cluster/), 'Arn'] },
        TaskDefinition: { Ref: migrationTaskId },
        Subnets: expect.arrayContaining([expect.anything()]),
        // A strong reference (an export): the network stack cannot drop the group while this uses it.
        SecurityGroups: [{ 'Fn::ImportValue': expect.stringMatching(/ServiceSecurityGroup/) }],
        ContainerName: 'app',
        LogGroupName: { Ref: expect.stringMatching(/^Logs/) },
        LogStreamPrefix: 'migrate',
        RunId: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      // The service rolls to the new task definition only after the migration succeeded.
      const service = Object.values(prod.service.findResources('AWS::ECS::Service'))[0]!;
      expect(service['DependsOn']).toContain(logicalId);
    });

    it('waits for the task through an onEvent/isComplete provider', () => {
      for (const entry of ['onEvent', 'isComplete']) {
        prod.service.hasResourceProperties('AWS::Lambda::Function', {
          Handler: `handler.${entry}`,
          Runtime: 'nodejs24.x',
          Timeout: 60,
          LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^MigrationHandlerLogs') } },
        });
      }
      prod.service.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
      // isComplete every 15 s for at most 30 minutes.
      const definition = JSON.stringify(
        Object.values(prod.service.findResources('AWS::StepFunctions::StateMachine'))[0]!['Properties'][
          'DefinitionString'
        ],
      );
      expect(definition).toContain('\\"IntervalSeconds\\":15');
      expect(definition).toContain('\\"MaxAttempts\\":120');
    });

    it('may only run the migration family in this cluster, pass its two roles and describe its tasks', () => {
      const statements = policyStatements(prod.service);
      const runTask = statements.filter((s) => s.Action === 'ecs:RunTask');
      expect(runTask).toHaveLength(1);
      expect(JSON.stringify(runTask[0]!.Resource)).toMatch(
        /:task-definition\/ChatprodServiceMigrationTask[0-9A-F]{8}:\*"/,
      );
      expect(runTask[0]!.Condition).toEqual({
        ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
      });

      const passRole = statements.filter((s) => s.Action === 'iam:PassRole');
      expect(passRole).toHaveLength(1);
      expect(passRole[0]!.Resource).toEqual(
        expect.arrayContaining([
          { 'Fn::GetAtt': [expect.stringMatching(/^MigrationTaskTaskRole/), 'Arn'] },
          { 'Fn::GetAtt': [expect.stringMatching(/^MigrationTaskExecutionRole/), 'Arn'] },
        ]),
      );
      expect((passRole[0]!.Resource as unknown[]).length).toBe(2);
      expect(passRole[0]!.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });

      const describeTasks = statements.filter((s) => s.Action === 'ecs:DescribeTasks');
      expect(describeTasks).toHaveLength(1);
      expect(JSON.stringify(describeTasks[0]!.Resource)).toMatch(/:task\/",\{"Ref":"Cluster[0-9A-F]{8}"\},"\/\*"/);
    });

    it('gives the start and wait handlers separate roles without managed policies', () => {
      const policyOf = (rolePrefix: string) =>
        Object.values(prod.service.findResources('AWS::IAM::Policy')).find((p) =>
          (p['Properties']['Roles'] as { Ref: string }[]).some((r) => r.Ref.startsWith(rolePrefix)),
        )!['Properties']['PolicyDocument']['Statement'] as PolicyStatement[];
      expect(policyOf('MigrationOnEventRole').map((s) => s.Action)).toEqual([
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        'ecs:RunTask',
        'iam:PassRole',
      ]);
      expect(policyOf('MigrationIsCompleteRole').map((s) => s.Action)).toEqual([
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        'ecs:DescribeTasks',
      ]);
      const migrationRoles = Object.entries(prod.service.findResources('AWS::IAM::Role')).filter(
        ([id]) => id.startsWith('Migration') && !id.startsWith('MigrationTask'),
      );
      expect(migrationRoles.length).toBeGreaterThanOrEqual(4);
      for (const [, role] of migrationRoles) expect(role['Properties']['ManagedPolicyArns']).toBeUndefined();
    });

    it('packages only the compiled handler, loadable the way the Lambda runtime loads it', () => {
      const fn = Object.values(prod.service.findResources('AWS::Lambda::Function')).find(
        (f) => f['Properties']['Handler'] === 'handler.onEvent',
      )!;
      const assetDir = join(
        prod.app.outdir,
        `asset.${String(fn['Properties']['Code']['S3Key']).replace(/\.zip$/, '')}`,
      );
      expect(readdirSync(assetDir)).toEqual(['handler.js']);

      // Lambda requires a .js handler as CommonJS when no package.json says otherwise, with
      // require(esm) and module-syntax detection switched off; the runtime's SDK is on NODE_PATH.
      const flags = ['--no-experimental-require-module', '--no-experimental-detect-module'].filter((f) =>
        process.allowedNodeEnvironmentFlags.has(f),
      );
      const script = `const m = require(${JSON.stringify(join(assetDir, 'handler.js'))}); process.stdout.write(JSON.stringify([typeof m.onEvent, typeof m.isComplete]));`;
      const result = spawnSync(process.execPath, [...flags, '-e', script], {
        env: { PATH: process.env['PATH'], NODE_PATH: join(REPO_ROOT, 'node_modules') },
        encoding: 'utf8',
      });
      expect(result.stderr).not.toMatch(/SyntaxError|Cannot find module/);
      expect(result.stdout).toBe('["function","function"]');
    });
  });

  describe('monitoring', () => {
    it.each([
      'HTTPCode_ELB_5XX_Count',
      'HTTPCode_Target_5XX_Count',
      'UnHealthyHostCount',
      'RunningTaskCount',
      'FreeStorageSpace',
    ])('alarms on %s', (metricName) => {
      prod.service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metricName,
        AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('AlarmTopic') })],
      });
    });

    it('alarms on service, MySQL and DocumentDB CPU and on the worst Redis node', () => {
      const cpu = prod.service.findResources('AWS::CloudWatch::Alarm', {
        Properties: { MetricName: 'CPUUtilization' },
      });
      expect(
        Object.values(cpu)
          .map((a) => a['Properties']['Namespace'])
          .sort(),
      ).toEqual(['AWS/DocDB', 'AWS/ECS', 'AWS/RDS']);
      for (const metric of ['EngineCPUUtilization', 'DatabaseMemoryUsagePercentage']) {
        prod.service.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Metrics: Match.arrayWith([
            Match.objectLike({ Expression: Match.stringLikeRegexp('^MAX\\(') }),
            Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: metric }) }) }),
          ]),
        });
      }
    });

    it('mails the alarm topic when an address is given, over TLS only', () => {
      prod.service.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'oncall@example.com',
      });
      dev.service.resourceCountIs('AWS::SNS::Subscription', 0);
      prod.service.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('has a dashboard', () => {
      prod.service.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    });
  });
});
