/**
 * Whether a stage may carry the load-test stack (generators for `artillery run-fargate`),
 * and who may assume its role. Off unless asked for with `-c loadTest=true`; never in prod,
 * whose traffic a load test would disturb and whose data it would pollute.
 */
import type { StageName } from './stages.js';

export interface LoadTestSettings {
  /**
   * Principals allowed to assume the load-test role, e.g. the CI/pipeline role. Empty: the
   * account itself (any principal with an IAM policy allowing sts:AssumeRole on it), as
   * Artillery's own template does.
   */
  readonly trustedRoleArns: readonly string[];
  /** How long reports and results stay in the results bucket, days. */
  readonly resultsRetentionDays: number;
}

export interface LoadTestOverrides {
  readonly enabled: boolean;
  readonly trustedRoleArns?: readonly string[];
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** The stage's load-test settings, undefined when not enabled; throws for prod or a bad ARN. */
export function resolveLoadTest(stage: StageName, overrides: LoadTestOverrides): LoadTestSettings | undefined {
  if (!overrides.enabled) return undefined;
  if (stage === 'prod') {
    throw new Error('stage prod: loadTest is not allowed (load-test staging or dev; prod traffic and data stay clean)');
  }
  const trustedRoleArns = overrides.trustedRoleArns ?? [];
  const bad = trustedRoleArns.filter((arn) => !ROLE_ARN.test(arn));
  if (bad.length > 0) {
    throw new Error(`stage ${stage}: loadTestTrustedRoleArns must be IAM role ARNs (got ${bad.join(', ')})`);
  }
  return { trustedRoleArns, resultsRetentionDays: 90 };
}
