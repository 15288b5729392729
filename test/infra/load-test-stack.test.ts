import { beforeAll, describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolveLoadTest } from '../../infra/config/load-test-settings.js';
import { applySizing, parseSizing } from '../../infra/config/sizing.js';
import { resolveStageSettings, type StageName } from '../../infra/config/stages.js';
import { createChatStacks } from '../../infra/stacks/chat-stacks.js';
import { createLoadTestStack } from '../../infra/stacks/load-test-stacks.js';
import { REPO_ROOT, cdkJsonContext, defaultOverrides } from './support/build-stage.js';
import { expectPrivateTlsOnlyBucket } from './support/private-bucket.js';

const PIPELINE_ROLE = 'arn:aws:iam::123456789012:role/pipeline-load-test';

/** A stage with its load-test stack, built as bin/main.ts does with -c loadTest=true. */
function buildWithLoadTest(stage: StageName, sizing?: unknown, trustedRoleArns?: string[]) {
  const app = new App({ context: cdkJsonContext() });
  const settings = applySizing(resolveStageSettings(stage, defaultOverrides(stage)), parseSizing(sizing));
  const loadTest = resolveLoadTest(stage, { enabled: true, trustedRoleArns })!;
  const chat = createChatStacks(app, settings, { imageDirectory: REPO_ROOT });
  const stack = createLoadTestStack(app, settings, loadTest, chat);
  const assembly = app.synth();
  const template = (name: string) =>
    Template.fromJSON(assembly.getStackByName(name).template as Record<string, unknown>);
  return { app, stack, loadTest: template(stack.stackName), service: template(chat.service.stackName) };
}

let staging: ReturnType<typeof buildWithLoadTest>;

beforeAll(() => {
  staging = buildWithLoadTest('staging', undefined, [PIPELINE_ROLE]);
});

describe('LoadTestStack', () => {
  it('admits the load generators to the HTTPS listener by security group, with no inbound of their own', () => {
    const generators = staging.stack.resolve(staging.stack.access.securityGroup.securityGroupId) as unknown;
    staging.loadTest.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      SourceSecurityGroupId: generators,
      // The network stack's ALB group, referenced across stacks.
      GroupId: Match.objectLike({}),
    });
    staging.loadTest.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }],
    });
  });

  it('uses port 80 for a dev stage without a certificate', () => {
    buildWithLoadTest('dev').loadTest.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 80 });
  });

  it("gives the role Artillery's documented run-fargate permissions, scoped to its artilleryio* resources", () => {
    const policy = Object.values(staging.loadTest.findResources('AWS::IAM::Policy'))
      .map((r) => JSON.stringify(r))
      .find((json) => json.includes('ecs:RunTask'));
    expect(policy).toBeDefined();
    const statements = [
      Match.objectLike({
        Sid: 'WorkerRole',
        Action: ['iam:AttachRolePolicy', 'iam:CreateRole', 'iam:GetRole', 'iam:PassRole'],
        Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':role/artilleryio-ecs-worker-role')])] },
      }),
      Match.objectLike({
        Sid: 'EcsTasksInClusters',
        Action: Match.arrayWith(['ecs:RunTask', 'ecs:StopTask']),
        Condition: { ArnEquals: { 'ecs:cluster': Match.anyValue() } },
      }),
      Match.objectLike({ Sid: 'Queues', Action: 'sqs:*' }),
      Match.objectLike({ Sid: 'TestDataBucket', Action: Match.arrayWith(['s3:CreateBucket', 's3:PutObject']) }),
    ];
    for (const statement of statements) {
      staging.loadTest.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([statement]) },
      });
    }
    expect(policy).not.toContain('"Action":"*"');
  });

  it('lets only the given roles assume it (the account by default)', () => {
    staging.loadTest.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Action: 'sts:AssumeRole', Principal: { AWS: PIPELINE_ROLE } })],
      },
    });
    const dev = buildWithLoadTest('dev');
    dev.loadTest.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { AWS: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':root')])] } },
          }),
        ],
      },
    });
  });

  it('keeps results in an encrypted, private, TLS-only bucket whose objects expire', () => {
    expectPrivateTlsOnlyBucket(staging.loadTest, {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })] },
    });
  });

  it('prints the run-fargate arguments (private subnets, generator group) as an output', () => {
    const outputs = staging.loadTest.findOutputs('RunFargateArguments');
    expect(JSON.stringify(outputs)).toContain('--security-group-ids');
    expect(JSON.stringify(outputs)).toContain('--subnet-ids');
  });

  it.each(['dev', 'staging'] as const)('is cdk-nag clean in %s', (stage) => {
    const { app } = stage === 'staging' ? staging : buildWithLoadTest(stage);
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`),
    );
    expect(findings).toEqual([]);
  });
});

describe('load-test settings', () => {
  it('is off unless enabled, and refused in prod', () => {
    expect(resolveLoadTest('staging', { enabled: false })).toBeUndefined();
    expect(() => resolveLoadTest('prod', { enabled: true })).toThrow('stage prod: loadTest is not allowed');
  });

  it('names trusted role ARNs that are not role ARNs', () => {
    expect(() => resolveLoadTest('dev', { enabled: true, trustedRoleArns: ['arn:aws:iam::123:user/x'] })).toThrow(
      'loadTestTrustedRoleArns must be IAM role ARNs (got arn:aws:iam::123:user/x)',
    );
  });
});

describe('per-test sizing (-c sizing=…)', () => {
  it('resizes the staging service and stores for one deploy without editing stages.ts', () => {
    const sized = buildWithLoadTest(
      'staging',
      '{"service":{"minTasks":6,"maxTasks":12,"cpu":2048,"memoryMiB":4096},"redis":{"nodeType":"cache.m7g.large"}}',
    );
    sized.service.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 6,
      MaxCapacity: 12,
    });
    sized.service.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '2048', Memory: '4096' });
  });

  it('names unknown sections, keys and wrong types in one error', () => {
    expect(() => parseSizing('{"network":{},"service":{"cpus":1,"minTasks":"8"}}')).toThrow(
      [
        'sizing.network is not sizable (expected one of: service, redis, documentDb, mysql)',
        'sizing.service.cpus is not sizable (expected one of: cpu, memoryMiB, minTasks, maxTasks, connectionsPerTaskTarget)',
        'sizing.service.minTasks must be a number',
      ].join('\n'),
    );
    expect(() => parseSizing('not json')).toThrow('sizing must be a JSON object');
  });

  it('still validates the resized stage (Fargate cpu/memory pairs)', () => {
    const settings = applySizing(resolveStageSettings('staging', defaultOverrides('staging')), {
      service: { cpu: 2048, memoryMiB: 1024 },
    });
    const app = new App({ context: cdkJsonContext() });
    expect(() => createChatStacks(app, settings, { imageDirectory: REPO_ROOT })).toThrow(
      'service.memoryMiB 1024 is not valid for cpu 2048',
    );
  });
});
