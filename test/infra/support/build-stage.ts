import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type Environment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { findRepoRoot } from '../../../infra/config/repo-root.js';
import { resolveStageSettings, type StageName, type StageOverrides } from '../../../infra/config/stages.js';
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
  readonly env?: Environment;
  readonly context?: Record<string, unknown>;
}

/** Builds and synthesizes one stage once (one synth for all three templates). */
export function buildStage(stage: StageName, options: BuildOptions = {}): BuiltStage {
  const app = new App({ context: { ...cdkJsonContext(), ...options.context } });
  const settings = resolveStageSettings(stage, options.overrides ?? defaultOverrides(stage));
  const stacks = createChatStacks(app, settings, { env: options.env, imageDirectory: REPO_ROOT });
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
