import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type Environment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { findRepoRoot } from '../../../infra/config/repo-root.js';
import {
  resolveStageSettings,
  type StageName,
  type StageOverrides,
  type StageSettings,
} from '../../../infra/config/stages.js';
import { createChatStacks, type ChatStacks } from '../../../infra/stacks/chat-stacks.js';

export const REPO_ROOT = findRepoRoot(import.meta.url);
export const TEST_CERTIFICATE_ARN =
  'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

/** The feature flags of cdk.json, so tests synthesize what `cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** Where staging and prod deploy in tests; the certificate above is from the same region. */
export const TEST_ENV = { account: '123456789012', region: 'eu-west-1' } as const;
export const TEST_AZS = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

/** What `cdk synth` with credentials caches in cdk.context.json for TEST_ENV. */
export function availabilityZonesContext(
  azs: readonly string[] = TEST_AZS,
  env: { account: string; region: string } = TEST_ENV,
): Record<string, unknown> {
  return { [`availability-zones:account=${env.account}:region=${env.region}`]: [...azs] };
}

/** The environment a stage needs: staging and prod refuse to synthesize without one. */
export function defaultEnv(stage: StageName): Environment | undefined {
  return stage === 'dev' ? undefined : TEST_ENV;
}

export const TEST_ALLOWED_ORIGINS = ['https://chat.example.com', 'https://admin.example.com'];

/** Command-line values a stage needs to pass validation (staging is left without origins). */
export function defaultOverrides(stage: StageName): StageOverrides {
  switch (stage) {
    case 'dev':
      return {};
    case 'staging':
      return { certificateArn: TEST_CERTIFICATE_ARN, alarmEmail: 'oncall@example.com' };
    case 'prod':
      return {
        certificateArn: TEST_CERTIFICATE_ARN,
        alarmEmail: 'oncall@example.com',
        allowedOrigins: TEST_ALLOWED_ORIGINS,
      };
  }
}

export interface BuiltStage {
  readonly app: App;
  readonly stacks: ChatStacks;
  readonly network: Template;
  readonly data: Template;
  readonly service: Template;
}

export interface BuildOptions {
  readonly overrides?: StageOverrides;
  /** @default defaultEnv(stage); pass `env: undefined` explicitly for an environment-agnostic synth */
  readonly env?: Environment;
  readonly context?: Record<string, unknown>;
  /** Stage settings to replace, e.g. `{ clientTopics: … }` (validated like any stage). */
  readonly settings?: Partial<Omit<StageSettings, 'stage'>>;
}

/** Builds and synthesizes one stage once (one synth for all three templates). */
export function buildStage(stage: StageName, options: BuildOptions = {}): BuiltStage {
  const app = new App({ context: { ...cdkJsonContext(), ...availabilityZonesContext(), ...options.context } });
  const settings = {
    ...resolveStageSettings(stage, options.overrides ?? defaultOverrides(stage)),
    ...options.settings,
  };
  const env = 'env' in options ? options.env : defaultEnv(stage);
  const stacks = createChatStacks(app, settings, { env, imageDirectory: REPO_ROOT });
  const assembly = app.synth();
  const template = (name: string) =>
    Template.fromJSON(assembly.getStackByName(name).template as Record<string, unknown>);
  return {
    app,
    stacks,
    network: template(stacks.network.stackName),
    data: template(stacks.data.stackName),
    service: template(stacks.service.stackName),
  };
}

const cache = new Map<StageName, BuiltStage>();

/** `buildStage(stage)` with default options, memoized per test file. */
export function builtStage(stage: StageName): BuiltStage {
  let built = cache.get(stage);
  if (!built) {
    built = buildStage(stage);
    cache.set(stage, built);
  }
  return built;
}
