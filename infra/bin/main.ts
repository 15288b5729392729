#!/usr/bin/env node
/**
 * CDK entry point; the only infra file that reads CDK context or the environment.
 *
 *   npx cdk synth -c stage=dev
 *   npx cdk deploy --all -c stage=prod -c certificateArn=arn:aws:acm:... -c allowedOrigins=https://chat.example.com[,...]
 *     -c alarmEmail=... [-c domainName=...]
 *   optional: -c account=123456789012 -c region=eu-west-1
 *   npx cdk synth -c stage=pipeline [-c connectionArn=...]     (the delivery pipeline, docs/pipeline.md)
 *   load testing (dev/staging, docs/loadtest.md): -c loadTest=true [-c loadTestTrustedRoleArns=arn:...,...]
 *     [-c sizing='{"service":{"minTasks":8,"maxTasks":20},"redis":{"nodeType":"cache.m7g.large"}}']
 *
 * Per-stage values (account, region, certificate, alarm email, origins) may also live in the
 * `stages` context object in cdk.json; values given with -c win. Without account/region (from
 * context or the CLI's CDK_DEFAULT_ACCOUNT/REGION) dev is environment-agnostic, so its synth
 * works offline with no credentials; staging and prod refuse to synthesize without them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parsePipelineSettings, parseStageTarget } from '../config/deployment-config.js';
import { findRepoRoot } from '../config/repo-root.js';
import { resolveLoadTest } from '../config/load-test-settings.js';
import { applySizing, parseSizing } from '../config/sizing.js';
import { isStageName, parseList, resolveStageSettings } from '../config/stages.js';
import { createChatStacks } from '../stacks/chat-stacks.js';
import { createDeliveryStacks } from '../stacks/delivery-stacks.js';
import { createLoadTestStack } from '../stacks/load-test-stacks.js';

const app = new App();

function context(key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

function cdkCliVersion(): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(findRepoRoot(), 'node_modules/aws-cdk/package.json'), 'utf8')) as {
      version?: string;
    };
    return manifest.version;
  } catch {
    return undefined;
  }
}

function synthStage(stage: string): void {
  const target = isStageName(stage) ? parseStageTarget(app.node.tryGetContext('stages'), stage) : undefined;
  const account = context('account') ?? target?.account ?? process.env.CDK_DEFAULT_ACCOUNT;
  // Without credentials the CLI still passes a fallback region (us-east-1). It is a guess, not a
  // target, so it is used only together with a known account; `-c region=...` always counts.
  const region = context('region') ?? target?.region ?? (account ? process.env.CDK_DEFAULT_REGION : undefined);
  const env: Environment | undefined =
    account || region ? { ...(account ? { account } : {}), ...(region ? { region } : {}) } : undefined;

  const stageSettings = resolveStageSettings(stage, {
    certificateArn: context('certificateArn') ?? target?.certificateArn,
    domainName: context('domainName') ?? target?.domainName,
    alarmEmail: context('alarmEmail') ?? target?.alarmEmail,
    allowedOrigins: parseList(app.node.tryGetContext('allowedOrigins')) ?? target?.allowedOrigins,
  });
  // Per-test sizing (instance classes, task counts) without editing stages.ts.
  const settings = applySizing(stageSettings, parseSizing(app.node.tryGetContext('sizing')));
  const loadTest = resolveLoadTest(settings.stage, {
    enabled: context('loadTest') === 'true',
    trustedRoleArns: parseList(app.node.tryGetContext('loadTestTrustedRoleArns')),
  });
  const chat = createChatStacks(app, settings, { env, imageDirectory: findRepoRoot() });
  if (loadTest) createLoadTestStack(app, settings, loadTest, chat);
}

function synthPipeline(): void {
  const settings = parsePipelineSettings(
    app.node.tryGetContext('pipeline'),
    app.node.tryGetContext('stages'),
    context('connectionArn'),
  );
  createDeliveryStacks(app, settings, {
    imageDirectory: findRepoRoot(),
    cliVersion: cdkCliVersion(),
    existingOidcProviderArn: context('githubOidcProviderArn'),
  });
}

try {
  const stage = context('stage') ?? 'dev';
  // cdk-nag as a policy-validation plugin: any unacknowledged finding fails the synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  if (stage === 'pipeline') synthPipeline();
  else synthStage(stage);
  app.synth();
} catch (error) {
  // Configuration mistakes are the common case here: show the message, not a stack trace.
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
