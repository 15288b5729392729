import { describe, expect, it } from '@jest/globals';
import { App, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parsePipelineSettings } from '../../infra/config/deployment-config.js';
import { createDeliveryStacks } from '../../infra/stacks/delivery-stacks.js';
import { LOAD_TEST_COMMANDS, SMOKE_COMMANDS, SYNTH_COMMANDS } from '../../infra/stacks/pipeline-stack.js';
import {
  TEST_CONNECTION_ARN,
  TOOLS_ACCOUNT,
  buildPipeline,
  pipelineAppContext,
  testPipelineContext,
  testStagesContext,
} from './support/build-pipeline.js';
import { REPO_ROOT } from './support/build-stage.js';

interface Action {
  Name: string;
  RunOrder: number;
  ActionTypeId: { Category: string; Provider: string };
  Configuration?: Record<string, unknown>;
}
interface PipelineStage {
  Name: string;
  Actions: Action[];
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

const built = buildPipeline();

function stagesOf(template: Template): PipelineStage[] {
  const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
  return pipeline?.['Properties'].Stages as PipelineStage[];
}
const stage = (name: string) => stagesOf(built.template).find((s) => s.Name === name)!;

/** Every policy statement of the template, with the logical id of its policy. */
function statements(template: Template): (Statement & { policy: string })[] {
  return Object.entries(template.findResources('AWS::IAM::Policy')).flatMap(([policy, r]) =>
    (r['Properties'].PolicyDocument.Statement as Statement[]).map((s) => ({ ...s, policy })),
  );
}
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

function buildSpecOf(template: Template, projectIdPrefix: string): string {
  const projects = template.findResources('AWS::CodeBuild::Project');
  const id = Object.keys(projects).find((k) => k.startsWith(projectIdPrefix));
  if (!id) throw new Error(`no CodeBuild project ${projectIdPrefix}*`);
  return JSON.stringify(projects[id]!['Properties'].Source.BuildSpec);
}

function findings(scope: App): string[] {
  return new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
}

describe('delivery pipeline', () => {
  it('runs source → synth → self-update → assets → dev → staging → prod, in that order', () => {
    expect(stagesOf(built.template).map((s) => s.Name)).toEqual([
      'Source',
      'Build',
      'UpdatePipeline',
      'Assets',
      'Dev',
      'Staging',
      'Prod',
    ]);
    built.template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Name: 'chat-delivery',
      PipelineType: 'V2',
      ExecutionMode: 'QUEUED',
      RestartExecutionOnUpdate: true,
    });
    expect(stage('UpdatePipeline').Actions.map((a) => a.Name)).toEqual(['SelfMutate']);
  });

  it('takes the source from the CodeStar connection given in the configuration, started by GitHub Actions', () => {
    const [source] = stage('Source').Actions;
    expect(source?.ActionTypeId.Provider).toBe('CodeStarSourceConnection');
    expect(source?.Name).toBe('GitHub');
    expect(source?.Configuration).toEqual(
      expect.objectContaining({
        ConnectionArn: TEST_CONNECTION_ARN,
        FullRepositoryId: 'example-org/stomp-chat',
        BranchName: 'main',
        DetectChanges: false,
      }),
    );
    const onPush = buildPipeline({ triggerOnPush: true });
    expect(stagesOf(onPush.template)[0]?.Actions[0]?.Configuration?.['DetectChanges']).toBe(true);
  });

  it('synthesizes after npm ci and npm test against real services (.ci/run), then cdk synth of the pipeline', () => {
    expect(SYNTH_COMMANDS).toEqual(['bash .ci/run', 'npx cdk synth -c stage=pipeline']);
    const spec = buildSpecOf(built.template, 'PipelineBuildSynthCdkBuildProject');
    expect(spec).toContain('apt-get install -y --no-install-recommends redis-server mariadb-server');
    expect(spec).toContain('bash .ci/run');
    expect(spec).toContain('npx cdk synth -c stage=pipeline');
    expect(spec).toContain('\\"nodejs\\": \\"22\\"');
  });

  it('builds and publishes the container image once for all three stages', () => {
    const images = stage('Assets').Actions.filter((a) => a.Name.startsWith('Image'));
    expect(images).toHaveLength(1);
  });

  it('deploys the same stacks, under the same names, as `cdk deploy --all -c stage=<stage>`', () => {
    for (const [name, prefix] of [
      ['Dev', 'Chat-dev'],
      ['Staging', 'Chat-staging'],
      ['Prod', 'Chat-prod'],
    ] as const) {
      const stacks = stage(name)
        .Actions.filter((a) => a.ActionTypeId.Category === 'Deploy')
        .map((a) => a.Configuration?.['StackName']);
      expect([...new Set(stacks)]).toEqual([`${prefix}-Network`, `${prefix}-Data`, `${prefix}-Service`]);
    }
    expect(built.stacks.pipeline.chatStages.prod.stacks.service.stackName).toBe('Chat-prod-Service');
  });

  it('asks for a manual approval before anything is deployed to prod', () => {
    const actions = stage('Prod').Actions;
    const approval = actions.find((a) => a.ActionTypeId.Category === 'Approval');
    expect(approval).toEqual(expect.objectContaining({ Name: 'PromoteToProd', RunOrder: 1 }));
    expect(approval?.ActionTypeId.Provider).toBe('Manual');
    const deploys = actions.filter((a) => a.ActionTypeId.Category === 'Deploy');
    expect(deploys.length).toBeGreaterThan(0);
    expect(Math.min(...deploys.map((a) => a.RunOrder))).toBeGreaterThan(approval!.RunOrder);
    // No other stage can be approved past: only prod has an approval.
    const approvals = stagesOf(built.template).flatMap((s) =>
      s.Actions.filter((a) => a.ActionTypeId.Category === 'Approval').map(() => s.Name),
    );
    expect(approvals).toEqual(['Prod']);
  });

  it('smoke-checks staging after its last stack deployed, with its WebSocketUrl output', () => {
    const actions = stage('Staging').Actions;
    const smoke = actions.find((a) => a.Name === 'SmokeCheck')!;
    const lastDeploy = Math.max(...actions.filter((a) => a.ActionTypeId.Category === 'Deploy').map((a) => a.RunOrder));
    expect(smoke.RunOrder).toBeGreaterThan(lastDeploy);
    const env = JSON.parse(String(smoke.Configuration?.['EnvironmentVariables'])) as { name: string; value: string }[];
    expect(env).toEqual([
      { name: 'CHAT_WS_URL', type: 'PLAINTEXT', value: expect.stringMatching(/Chatstaging.*\.WebSocketUrl\}$/) },
    ]);
    const spec = buildSpecOf(built.template, 'PipelineStagingSmokeCheck');
    for (const command of SMOKE_COMMANDS) expect(spec).toContain(command);
    expect(actions.some((a) => a.Name === 'LoadTestGate')).toBe(false);
  });

  it('runs the optional load-test gate after the smoke check when the configuration asks for it', () => {
    const gated = buildPipeline({ loadTestGate: true });
    const actions = stagesOf(gated.template).find((s) => s.Name === 'Staging')!.Actions;
    const smoke = actions.find((a) => a.Name === 'SmokeCheck')!;
    const gate = actions.find((a) => a.Name === 'LoadTestGate')!;
    expect(gate.RunOrder).toBeGreaterThan(smoke.RunOrder);
    const spec = buildSpecOf(gated.template, 'PipelineStagingLoadTestGate');
    for (const command of LOAD_TEST_COMMANDS) expect(spec).toContain(command);
    // Prod still waits for the approval, which comes after the whole staging stage.
    expect(
      stagesOf(gated.template)
        .map((s) => s.Name)
        .slice(-2),
    ).toEqual(['Staging', 'Prod']);
  });

  it('encrypts artifacts with a rotated KMS key because stages live in other accounts', () => {
    built.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  describe('no plaintext secrets', () => {
    it('passes the build steps no credential as an environment variable', () => {
      for (const [, project] of Object.entries(built.template.findResources('AWS::CodeBuild::Project'))) {
        const vars = (project['Properties'].Environment.EnvironmentVariables ?? []) as { Name: string }[];
        for (const v of vars) expect(v.Name).not.toMatch(/SECRET|PASSWORD|TOKEN|ACCESS_KEY|PRIVATE/i);
      }
      const text = JSON.stringify(built.template.toJSON());
      expect(text).not.toMatch(/AKIA[0-9A-Z]{16}|aws_secret_access_key|BEGIN [A-Z ]*PRIVATE KEY/);
    });

    it('gives the deployed tasks their credentials only from Secrets Manager', () => {
      const assembly = built.app.synth().getNestedAssembly(built.stacks.pipeline.chatStages.prod.artifactId);
      const serviceTemplate = assembly.getStackByName('Chat-prod-Service').template as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      };
      const containers = Object.values(serviceTemplate.Resources)
        .filter((r) => r.Type === 'AWS::ECS::TaskDefinition')
        .flatMap(
          (r) =>
            r.Properties['ContainerDefinitions'] as {
              Environment?: { Name: string }[];
              Secrets?: { Name: string }[];
            }[],
        );
      expect(containers.length).toBeGreaterThan(0);
      for (const c of containers) {
        expect((c.Environment ?? []).map((e) => e.Name).filter((n) => /SECRET|PASSWORD|AUTH_TOKEN/.test(n))).toEqual(
          [],
        );
        expect(c.Secrets?.length).toBeGreaterThan(0);
      }
      expect(containers.flatMap((c) => (c.Secrets ?? []).map((s) => s.Name))).toEqual(
        expect.arrayContaining(['JWT_SECRET', 'MYSQL_PASSWORD']),
      );
    });
  });

  describe('least privilege', () => {
    const all = statements(built.template);

    it('grants no role `*`, no IAM administration and no role passing', () => {
      for (const s of all) {
        for (const action of actionsOf(s)) {
          expect(action).not.toBe('*');
          expect(action).not.toMatch(/^iam:|^[a-z0-9-]+:\*$/);
        }
      }
    });

    it('lets only the pipeline, self-mutation and asset roles assume roles, and only CDK bootstrap roles', () => {
      const assume = all.filter((s) => actionsOf(s).includes('sts:AssumeRole'));
      expect([...new Set(assume.map((s) => s.policy.replace(/[0-9A-F]{8}$/, '')))].sort()).toEqual([
        'PipelineAssetsDockerRoleDefaultPolicy',
        'PipelineAssetsFileRoleDefaultPolicy',
        'PipelineRoleDefaultPolicy',
        'PipelineUpdatePipelineSelfMutationRoleDefaultPolicy',
      ]);
      const selfMutation = assume.find((s) => s.policy.startsWith('PipelineUpdatePipelineSelfMutation'))!;
      expect(selfMutation.Condition).toEqual({
        'ForAnyValue:StringEquals': {
          'iam:ResourceTag/aws-cdk:bootstrap-role': ['image-publishing', 'file-publishing', 'deploy'],
        },
      });
      for (const s of assume.filter((x) => x.policy.startsWith('PipelineAssets'))) {
        expect(JSON.stringify(s.Resource)).toMatch(/cdk-hnb659fds-(image|file)-publishing-role-/);
      }
    });

    it('gives the synth and smoke-check steps nothing beyond their logs, reports and artifacts', () => {
      const allowed = /^(logs|codebuild|s3|kms):/;
      for (const prefix of ['PipelineBuildSynthCdkBuildProjectRole', 'PipelineStagingSmokeCheckRole']) {
        const own = all.filter((s) => s.policy.startsWith(prefix));
        expect(own.length).toBeGreaterThan(0);
        for (const s of own) for (const a of actionsOf(s)) expect(a).toMatch(allowed);
      }
    });

    it('lets the source action use exactly the configured connection', () => {
      const use = all.filter((s) => actionsOf(s).some((a) => a.includes('UseConnection')));
      expect(use.map((s) => s.Resource)).toEqual([TEST_CONNECTION_ARN]);
    });
  });

  describe('cdk-nag', () => {
    it('reports nothing unacknowledged in the pipeline or any stage it deploys', () => {
      expect(findings(built.app)).toEqual([]);
      expect(findings(buildPipeline({ loadTestGate: true }).app)).toEqual([]);
    });

    it('still reports an unreviewed resource inside a deployed stage', () => {
      const { app, stacks } = buildPipeline();
      new s3.Bucket(stacks.pipeline.chatStages.staging.stacks.service, 'Unreviewed');
      expect(findings(app)).toEqual(
        expect.arrayContaining(['AwsSolutions-S1 Chat-Pipeline/Staging/Chat-staging-Service/Unreviewed/Resource']),
      );
    });

    it('lets the pipeline synthesize with the checks installed as in bin/main.ts', () => {
      const app = new App({ context: pipelineAppContext() });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      createDeliveryStacks(app, parsePipelineSettings(testPipelineContext(), testStagesContext()), {
        imageDirectory: REPO_ROOT,
      });
      const assembly = app.synth();
      expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['Chat-GitHubOidc', 'Chat-Pipeline']);
    });
  });

  describe('configuration', () => {
    it('lists every problem of the pipeline and stages context in one error', () => {
      const stages = testStagesContext();
      expect(() =>
        parsePipelineSettings(
          { account: '12', region: 'eu-west-1', repository: 'no-slash' },
          { ...stages, prod: { region: 'eu-west-1' } },
        ),
      ).toThrow(
        [
          'pipeline configuration (cdk.json context, docs/pipeline.md):',
          'stages.prod.account is required',
          "pipeline.account is not valid (got '12')",
          'pipeline.connectionArn is required',
          "pipeline.repository is not valid (got 'no-slash')",
        ].join('\n'),
      );
    });

    it('takes the connection from -c connectionArn over the one in the pipeline object', () => {
      const other = TEST_CONNECTION_ARN.replace('aaaaaaaa', 'ffffffff');
      expect(parsePipelineSettings(testPipelineContext(), testStagesContext(), other).connectionArn).toBe(other);
      expect(parsePipelineSettings(JSON.stringify(testPipelineContext()), testStagesContext()).account).toBe(
        TOOLS_ACCOUNT,
      );
    });

    it('refuses a pipeline whose prod stage has no alarm destination', () => {
      const stages = testStagesContext();
      const { alarmEmail: _dropped, ...prod } = stages.prod;
      const settings = parsePipelineSettings(testPipelineContext(), { ...stages, prod });
      expect(() =>
        createDeliveryStacks(new App({ context: pipelineAppContext() }), settings, { imageDirectory: REPO_ROOT }),
      ).toThrow('stage prod: alarmEmail is required (alarms and deployment rollbacks must reach someone)');
    });
  });
});

describe('GitHub OIDC bootstrap stack', () => {
  const { oidc } = built;
  const roles = oidc.findResources('AWS::IAM::Role');
  const role = (prefix: string) => Object.entries(roles).find(([id]) => id.startsWith(prefix))![1]['Properties'];

  it('creates the GitHub OIDC provider for STS', () => {
    oidc.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it('trusts only main-branch workflows of the repository for the deploy role, only its pull requests for the diff role', () => {
    const condition = (prefix: string) =>
      role(prefix).AssumeRolePolicyDocument.Statement[0].Condition.StringEquals as Record<string, string>;
    expect(condition('DeployRole')).toEqual({
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': 'repo:example-org/stomp-chat:ref:refs/heads/main',
    });
    expect(condition('DiffRole')['token.actions.githubusercontent.com:sub']).toBe(
      'repo:example-org/stomp-chat:pull_request',
    );
    expect(role('DeployRole').AssumeRolePolicyDocument.Statement[0].Action).toBe('sts:AssumeRoleWithWebIdentity');
  });

  it('lets the deploy role start exactly the pipeline and the diff role assume only CDK lookup roles', () => {
    const policy = (prefix: string) => role(prefix).Policies[0].PolicyDocument.Statement as Statement[];
    expect(policy('DeployRole')).toEqual([
      expect.objectContaining({
        Action: [
          'codepipeline:GetPipelineExecution',
          'codepipeline:GetPipelineState',
          'codepipeline:StartPipelineExecution',
        ],
        Resource: `arn:aws:codepipeline:eu-west-1:${TOOLS_ACCOUNT}:chat-delivery`,
      }),
    ]);
    const diff = policy('DiffRole');
    expect(diff).toHaveLength(1);
    expect(diff[0]!.Action).toBe('sts:AssumeRole');
    expect(JSON.stringify(diff[0]!.Resource)).not.toContain('*');
    expect(diff[0]!.Resource).toEqual(
      expect.arrayContaining([
        `arn:aws:iam::${TOOLS_ACCOUNT}:role/cdk-hnb659fds-lookup-role-${TOOLS_ACCOUNT}-eu-west-1`,
        'arn:aws:iam::123456789012:role/cdk-hnb659fds-lookup-role-123456789012-eu-west-1',
        'arn:aws:iam::111111111111:role/cdk-hnb659fds-lookup-role-111111111111-eu-west-1',
      ]),
    );
  });

  it('reuses an existing provider instead of creating a second one', () => {
    const app = new App({ context: pipelineAppContext() });
    const arn = `arn:aws:iam::${TOOLS_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const { githubOidc } = createDeliveryStacks(
      app,
      parsePipelineSettings(testPipelineContext(), testStagesContext()),
      { imageDirectory: REPO_ROOT, existingOidcProviderArn: arn },
    );
    const template = JSON.stringify(app.synth().getStackByName(githubOidc.stackName).template);
    expect(template).not.toContain('AWS::IAM::OIDCProvider');
    expect(template).toContain(arn);
  });

  it('keeps no access key anywhere', () => {
    expect(Object.keys(oidc.findResources('AWS::IAM::AccessKey'))).toEqual([]);
    expect(Object.keys(oidc.findResources('AWS::IAM::User'))).toEqual([]);
  });
});
