import type { Construct } from 'constructs';
import type { PipelineSettings } from '../config/deployment-config.js';
import { STAGE_NAMES, resolveStageSettings, type StageName, type StageSettings } from '../config/stages.js';
import { GitHubOidcStack } from './github-oidc-stack.js';
import { PIPELINE_NAME, PipelineStack } from './pipeline-stack.js';

export interface DeliveryStacks {
  readonly pipeline: PipelineStack;
  readonly githubOidc: GitHubOidcStack;
}

export interface DeliveryStacksOptions {
  /** Directory holding the Dockerfile (the repository root). */
  readonly imageDirectory: string;
  /** CDK CLI version the pipeline installs for self-mutation and asset publishing. */
  readonly cliVersion?: string;
  /** ARN of the account's GitHub OIDC provider, when it exists already. */
  readonly existingOidcProviderArn?: string;
}

/**
 * What `cdk synth -c stage=pipeline` builds: the self-mutating pipeline (which deploys every
 * stage) and the GitHub OIDC bootstrap stack, both in the pipeline account. Shared by
 * `bin/main.ts` and the tests.
 */
export function createDeliveryStacks(
  scope: Construct,
  settings: PipelineSettings,
  options: DeliveryStacksOptions,
): DeliveryStacks {
  const stages = Object.fromEntries(
    STAGE_NAMES.map((stage) => [stage, resolveStageSettings(stage, settings.stages[stage])]),
  ) as Record<StageName, StageSettings>;
  const env = { account: settings.account, region: settings.region };

  const pipeline = new PipelineStack(scope, 'Chat-Pipeline', {
    env,
    description: 'Chat backend: delivery pipeline (GitHub → synth → dev → staging → approval → prod)',
    settings,
    stages,
    imageDirectory: options.imageDirectory,
    cliVersion: options.cliVersion,
  });
  const githubOidc = new GitHubOidcStack(scope, 'Chat-GitHubOidc', {
    env,
    description: 'Chat backend: GitHub Actions OIDC provider and roles (no stored AWS keys)',
    repository: settings.repository,
    branch: settings.branch,
    pipelineName: PIPELINE_NAME,
    diffTargets: [env, ...STAGE_NAMES.map((stage) => settings.stages[stage])].map(({ account, region }) => ({
      account,
      region,
    })),
    existingProviderArn: options.existingOidcProviderArn,
  });
  return { pipeline, githubOidc };
}
