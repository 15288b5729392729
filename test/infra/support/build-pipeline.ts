import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parsePipelineSettings, type PipelineSettings } from '../../../infra/config/deployment-config.js';
import type { StageName } from '../../../infra/config/stages.js';
import { createDeliveryStacks, type DeliveryStacks } from '../../../infra/stacks/delivery-stacks.js';
import {
  REPO_ROOT,
  TEST_AZS,
  TEST_ENV,
  availabilityZonesContext,
  cdkJsonContext,
  defaultOverrides,
} from './build-stage.js';

export const TOOLS_ACCOUNT = '999999999999';
export const DEV_ACCOUNT = '111111111111';
export const TEST_CONNECTION_ARN =
  'arn:aws:codeconnections:eu-west-1:999999999999:connection/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

/** The `stages` context object as a team would put it in cdk.json. */
export function testStagesContext(): Record<StageName, Record<string, unknown>> {
  return {
    dev: { account: DEV_ACCOUNT, region: 'eu-west-1' },
    staging: { ...TEST_ENV, ...defaultOverrides('staging') },
    prod: { ...TEST_ENV, ...defaultOverrides('prod') },
  };
}

export function testPipelineContext(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    account: TOOLS_ACCOUNT,
    region: 'eu-west-1',
    connectionArn: TEST_CONNECTION_ARN,
    repository: 'example-org/stomp-chat',
    branch: 'main',
    ...extra,
  };
}

export interface BuiltPipeline {
  readonly app: App;
  readonly settings: PipelineSettings;
  readonly stacks: DeliveryStacks;
  readonly template: Template;
  readonly oidc: Template;
}

/** The context `cdk synth -c stage=pipeline` sees (AZs of both stage accounts as cached in cdk.context.json). */
export function pipelineAppContext(): Record<string, unknown> {
  return {
    ...cdkJsonContext(),
    ...availabilityZonesContext(),
    ...availabilityZonesContext(TEST_AZS, { account: DEV_ACCOUNT, region: 'eu-west-1' }),
  };
}

/** The delivery stacks as `cdk synth -c stage=pipeline` builds them. */
export function buildPipeline(extra: Record<string, unknown> = {}): BuiltPipeline {
  const app = new App({ context: pipelineAppContext() });
  const settings = parsePipelineSettings(testPipelineContext(extra), testStagesContext());
  const stacks = createDeliveryStacks(app, settings, { imageDirectory: REPO_ROOT });
  return {
    app,
    settings,
    stacks,
    template: Template.fromStack(stacks.pipeline),
    oidc: Template.fromStack(stacks.githubOidc),
  };
}
