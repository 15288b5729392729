import { describe, expect, it } from '@jest/globals';
import { App, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { STAGE_NAMES, resolveStageSettings } from '../../infra/config/stages.js';
import { createChatStacks } from '../../infra/stacks/chat-stacks.js';
import {
  REPO_ROOT,
  availabilityZonesContext,
  buildStage,
  cdkJsonContext,
  defaultEnv,
  defaultOverrides,
} from './support/build-stage.js';

/** Findings as readable strings, so a failure names the rule and the construct. */
function findings(scope: App, severity: 'error' | 'warning'): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations
    .filter((v) => v.severity === severity)
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
}

describe('cdk-nag AwsSolutions', () => {
  it.each(STAGE_NAMES)('has no unacknowledged errors or warnings in %s', (stage) => {
    const { app } = buildStage(stage);
    expect(findings(app, 'error')).toEqual([]);
    expect(findings(app, 'warning')).toEqual([]);
  });

  it.each(STAGE_NAMES)('lets %s synthesize with the checks installed as in bin/main.ts', (stage) => {
    const app = new App({ context: { ...cdkJsonContext(), ...availabilityZonesContext() } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    createChatStacks(app, resolveStageSettings(stage, defaultOverrides(stage)), {
      env: defaultEnv(stage),
      imageDirectory: REPO_ROOT,
    });
    const assembly = app.synth();
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual([
      `Chat-${stage}-Data`,
      `Chat-${stage}-Network`,
      `Chat-${stage}-Service`,
    ]);
  });

  it.each(STAGE_NAMES)('acknowledges nothing that is not there or that could be fixed instead, in %s', (stage) => {
    const { app } = buildStage(stage);
    const acknowledged = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.keys(m.data as Record<string, string>));
    expect(acknowledged.length).toBeGreaterThan(0);
    // AEC5 never fires on the Valkey group; SF1 is fixed (the waiter logs ALL events).
    expect(acknowledged.filter((id) => /AwsSolutions-(AEC5|SF1)\b/.test(id))).toEqual([]);
  });

  it('still reports findings that nobody acknowledged', () => {
    const { app, stacks } = buildStage('dev');
    new s3.Bucket(stacks.service, 'Unreviewed');
    expect(findings(app, 'error')).toEqual(
      expect.arrayContaining([`AwsSolutions-S10 Chat-dev-Service/Unreviewed/Resource`]),
    );
  });
});
