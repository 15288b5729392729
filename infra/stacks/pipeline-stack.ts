import { ArnFormat, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as pipelines from 'aws-cdk-lib/pipelines';
import type { Construct, IConstruct } from 'constructs';
import { wildcardResourceFinding } from '../constructs/nag-findings.js';
import type { PipelineSettings } from '../config/deployment-config.js';
import type { StageName, StageSettings } from '../config/stages.js';
import { ChatStage } from './chat-stage.js';

/** Name of the pipeline; the GitHub deploy role may start exactly this one. */
export const PIPELINE_NAME = 'chat-delivery';
/** Name of the source action, for `start-pipeline-execution --source-revisions actionName=...`. */
export const SOURCE_ACTION_NAME = 'GitHub';

/**
 * The synth step: the repository's own CI script (`npm ci`, then `npm test` against a real
 * Redis and MariaDB that it starts), then the synth of this very app. The services come from
 * Debian/Ubuntu packages, as on a developer's machine.
 */
export const SYNTH_INSTALL_COMMANDS = [
  'apt-get update',
  'apt-get install -y --no-install-recommends redis-server mariadb-server',
];
export const SYNTH_COMMANDS = ['bash .ci/run', 'npx cdk synth -c stage=pipeline'];
/** Post-deploy checks run from a fresh checkout of the same commit. */
export const SMOKE_COMMANDS = ['npm ci', 'npm run build', 'node dist/infra/smoke/main.js'];
export const LOAD_TEST_COMMANDS = ['npm ci', 'npm run loadtest'];

export interface PipelineStackProps extends StackProps {
  readonly settings: PipelineSettings;
  /** Validated-to-be settings of every stage, command-line values merged in. */
  readonly stages: Readonly<Record<StageName, StageSettings>>;
  /** Directory holding the Dockerfile (the repository root). */
  readonly imageDirectory: string;
  /** Version of the CDK CLI the self-mutation and asset steps install (the repository's). */
  readonly cliVersion?: string;
}

/**
 * The delivery pipeline (CDK Pipelines, self-mutating): GitHub source through a CodeStar
 * connection → synth (tests, `cdk synth`) → update itself → publish assets once (the image
 * is built once per commit and pushed to every stage's bootstrap repository) → dev → staging
 * with a smoke check (and optionally the load-test gate) → manual approval → prod.
 */
export class PipelineStack extends Stack {
  readonly pipeline: pipelines.CodePipeline;
  readonly chatStages: Readonly<Record<StageName, ChatStage>>;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { settings } = props;

    const source = pipelines.CodePipelineSource.connection(settings.repository, settings.branch, {
      connectionArn: settings.connectionArn,
      triggerOnPush: settings.triggerOnPush,
      actionName: SOURCE_ACTION_NAME,
    });

    const otherAccounts = Object.values(settings.stages).some((t) => t.account !== settings.account);
    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      pipelineName: PIPELINE_NAME,
      pipelineType: codepipeline.PipelineType.V2,
      // A newer commit waits for the one in flight instead of replacing it mid-release.
      executionMode: codepipeline.ExecutionMode.QUEUED,
      // Cross-account deploys need a KMS key on the artifact bucket; rotate it yearly.
      crossAccountKeys: otherAccounts,
      enableKeyRotation: otherAccounts,
      cliVersion: props.cliVersion,
      publishAssetsInParallel: true,
      // Stage changes through change sets, so CloudFormation shows what a release changes.
      useChangeSets: true,
      synth: new pipelines.ShellStep('Synth', {
        input: source,
        installCommands: SYNTH_INSTALL_COMMANDS,
        commands: SYNTH_COMMANDS,
        primaryOutputDirectory: 'cdk.out',
      }),
      codeBuildDefaults: {
        buildEnvironment: { buildImage: codebuild.LinuxBuildImage.STANDARD_8_0 },
        partialBuildSpec: codebuild.BuildSpec.fromObject({
          phases: { install: { 'runtime-versions': { nodejs: '22' } } },
        }),
      },
      synthCodeBuildDefaults: {
        // The full test suite plus synth: more than the default 3 GB and 2 vCPUs make it faster.
        buildEnvironment: { computeType: codebuild.ComputeType.MEDIUM },
      },
    });

    const stage = (name: StageName, id: string) =>
      new ChatStage(this, id, {
        env: { account: settings.stages[name].account, region: settings.stages[name].region },
        settings: props.stages[name],
        imageDirectory: props.imageDirectory,
      });
    const dev = stage('dev', 'Dev');
    const staging = stage('staging', 'Staging');
    const prod = stage('prod', 'Prod');
    this.chatStages = { dev, staging, prod };

    this.pipeline.addStage(dev);
    const checkEnv = { CHAT_WS_URL: staging.webSocketUrl };
    const post: pipelines.Step[] = [
      new pipelines.ShellStep('SmokeCheck', { input: source, envFromCfnOutputs: checkEnv, commands: SMOKE_COMMANDS }),
    ];
    if (settings.loadTestGate) {
      post.push(
        new pipelines.ShellStep('LoadTestGate', {
          input: source,
          envFromCfnOutputs: checkEnv,
          commands: LOAD_TEST_COMMANDS,
        }),
      );
      // The gate starts only after the smoke check passed.
      post[1]!.addStepDependency(post[0]!);
    }
    this.pipeline.addStage(staging, { post });
    this.pipeline.addStage(prod, {
      pre: [
        new pipelines.ManualApprovalStep('PromoteToProd', {
          comment: 'Staging passed its smoke check; approve to release this commit to prod.',
        }),
      ],
    });

    // Build now (not at synth) so the template, tests and cdk-nag see every resource.
    this.pipeline.buildPipeline();
    this.acknowledgeFindings();
  }

  /**
   * What cdk-nag reports on the roles CDK Pipelines generates, acknowledged rule by rule. The
   * tests check the substance instead: no role may do `*`, pass roles or touch IAM; only the
   * self-mutation and asset roles may assume roles, and only CDK bootstrap roles.
   */
  private acknowledgeFindings(): void {
    const artifactBucket = this.pipeline.pipeline.artifactBucket;
    const acknowledge = (scope: IConstruct, ids: string[], reason: string) => {
      for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
    };

    Validations.of(artifactBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "Pipeline artifact bucket: written and read only by this pipeline's roles (bucket policy denies non-TLS); CloudTrail records its API use. An access-log bucket per pipeline would log the pipeline reading its own artifacts.",
    });
    acknowledge(
      this.pipeline,
      [
        ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map(
          (a) => `AwsSolutions-IAM5[Action::${a}]`,
        ),
        ...['kms:GenerateDataKey*', 'kms:ReEncrypt*'].map((a) => `AwsSolutions-IAM5[Action::${a}]`),
        wildcardResourceFinding(this, `${artifactBucket.bucketArn}/*`),
      ],
      "CDK Pipelines artifact grants: the wildcards are action groups and object keys inside this pipeline's own artifact bucket and its KMS key, nothing else.",
    );

    // Every CodeBuild project writes its own log group and report groups.
    for (const project of descendants(this.pipeline).filter((c) => c instanceof codebuild.Project)) {
      acknowledge(
        project,
        [
          wildcardResourceFinding(
            this,
            this.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: `/aws/codebuild/${project.projectName}:*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ),
          wildcardResourceFinding(
            this,
            this.formatArn({
              service: 'codebuild',
              resource: 'report-group',
              resourceName: `${project.projectName}-*`,
            }),
          ),
        ],
        "CodeBuild default grant: log streams of this project's own log group and its own report groups.",
      );
    }

    Validations.of(this.pipeline.selfMutationProject).acknowledge({
      id: wildcardResourceFinding(this, `arn:*:iam::${this.account}:role/*`),
      reason:
        'Self-mutation may assume only roles tagged aws-cdk:bootstrap-role (deploy, file and image publishing) — a condition on the statement the rule does not read.',
    });
    Validations.of(this.pipeline.selfMutationProject).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'cloudformation:DescribeStacks and s3:ListBucket: the CDK CLI reads the bootstrap stack and finds its bucket before it assumes the deploy role; neither action changes anything.',
    });
    const assets = this.pipeline.node.tryFindChild('Assets');
    if (assets) {
      acknowledge(
        assets,
        [
          'AwsSolutions-IAM5[Resource::*]',
          wildcardResourceFinding(
            this,
            this.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '/aws/codebuild/*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ),
          wildcardResourceFinding(
            this,
            this.formatArn({ service: 'codebuild', resource: 'report-group', resourceName: '*' }),
          ),
        ],
        'One role serves every asset-publishing project (one per asset, created as assets appear), so its CodeBuild log, report and build grants cannot name the projects; it assumes only the CDK bootstrap publishing roles of the stage accounts.',
      );
    }
  }
}

function descendants(scope: IConstruct): IConstruct[] {
  return scope.node.findAll();
}
