#!/usr/bin/env node
/**
 * CDK entry point; the only infra file that reads CDK context or the environment.
 *
 *   npx cdk synth -c stage=dev
 *   npx cdk deploy --all -c stage=prod -c certificateArn=arn:aws:acm:... -c allowedOrigins=https://chat.example.com[,...]
 *     [-c alarmEmail=...] [-c domainName=...]
 *   optional: -c account=123456789012 -c region=eu-west-1
 *
 * Without account/region (from context or the CLI's CDK_DEFAULT_ACCOUNT/REGION) the stacks
 * are environment-agnostic, so synth works offline with no credentials.
 */
import { App, Validations, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { findRepoRoot } from '../config/repo-root.js';
import { parseBrokerKind, parseList, resolveStageSettings } from '../config/stages.js';
import { createChatStacks } from '../stacks/chat-stacks.js';

const app = new App();

function context(key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

const account = context('account') ?? process.env.CDK_DEFAULT_ACCOUNT;
// Without credentials the CLI still passes a fallback region (us-east-1). It is a guess, not a
// target, so it is used only together with a known account; `-c region=...` always counts.
const region = context('region') ?? (account ? process.env.CDK_DEFAULT_REGION : undefined);
const env: Environment | undefined =
  account || region ? { ...(account ? { account } : {}), ...(region ? { region } : {}) } : undefined;

try {
  const settings = resolveStageSettings(context('stage') ?? 'dev', {
    certificateArn: context('certificateArn'),
    domainName: context('domainName'),
    alarmEmail: context('alarmEmail'),
    allowedOrigins: parseList(app.node.tryGetContext('allowedOrigins')),
    broker: parseBrokerKind(context('broker')),
  });

  // cdk-nag as a policy-validation plugin: any unacknowledged finding fails the synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  createChatStacks(app, settings, { env, imageDirectory: findRepoRoot() });
  app.synth();
} catch (error) {
  // Configuration mistakes are the common case here: show the message, not a stack trace.
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
