/**
 * Where each stage deploys and how the delivery pipeline reaches the repository: the two
 * context objects `stages` and `pipeline` (kept in cdk.json, see docs/pipeline.md), parsed and
 * checked here. Pure: `infra/bin/main.ts` reads the context and hands the raw values over.
 */
import { STAGE_NAMES, parseList, type StageName, type StageOverrides } from './stages.js';

/** One stage's target account and region plus its command-line values, from the `stages` context. */
export interface StageTarget extends StageOverrides {
  readonly account: string;
  readonly region: string;
}

export interface PipelineSettings {
  /** Account and region the pipeline itself lives in (usually a tooling account or dev). */
  readonly account: string;
  readonly region: string;
  /** CodeStar (CodeConnections) connection to GitHub, created and authorized in the console. */
  readonly connectionArn: string;
  /** GitHub repository, `owner/name`. */
  readonly repository: string;
  /** Branch the pipeline releases. */
  readonly branch: string;
  /**
   * Start an execution on every push to `branch`. Off by default: the main workflow of
   * GitHub Actions starts the pipeline through its OIDC role once the tests passed there,
   * at exactly the commit it tested.
   */
  readonly triggerOnPush: boolean;
  /** Run `npm run loadtest` against staging after the smoke check, before the prod approval. */
  readonly loadTestGate: boolean;
  /** Where every stage deploys. */
  readonly stages: Readonly<Record<StageName, StageTarget>>;
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const CONNECTION_ARN =
  /^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[A-Za-z0-9-]+$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

type Raw = Record<string, unknown>;

function asObject(value: unknown, what: string, problems: string[]): Raw {
  if (typeof value === 'string') {
    try {
      return asObject(JSON.parse(value), what, problems);
    } catch {
      problems.push(`${what} must be a JSON object (got a string that is not JSON)`);
      return {};
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${what} must be an object (got ${value === undefined ? 'nothing' : JSON.stringify(value)})`);
    return {};
  }
  return value as Raw;
}

function text(raw: Raw, key: string, what: string, problems: string[], pattern?: RegExp): string {
  const value = raw[key];
  if (typeof value !== 'string' || value === '') {
    problems.push(`${what}.${key} is required`);
    return '';
  }
  if (pattern && !pattern.test(value)) problems.push(`${what}.${key} is not valid (got '${value}')`);
  return value;
}

function optionalText(raw: Raw, key: string): string | undefined {
  const value = raw[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function flag(raw: Raw, key: string, what: string, problems: string[]): boolean {
  const value = raw[key];
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  problems.push(`${what}.${key} must be true or false (got ${JSON.stringify(value)})`);
  return false;
}

function stageTarget(value: unknown, stage: StageName, problems: string[]): StageTarget {
  const what = `stages.${stage}`;
  const raw = asObject(value, what, problems);
  const allowedOrigins = parseList(raw['allowedOrigins']);
  return {
    account: text(raw, 'account', what, problems, ACCOUNT),
    region: text(raw, 'region', what, problems, REGION),
    ...(optionalText(raw, 'certificateArn') ? { certificateArn: optionalText(raw, 'certificateArn') } : {}),
    ...(optionalText(raw, 'domainName') ? { domainName: optionalText(raw, 'domainName') } : {}),
    ...(optionalText(raw, 'alarmEmail') ? { alarmEmail: optionalText(raw, 'alarmEmail') } : {}),
    ...(allowedOrigins ? { allowedOrigins } : {}),
  };
}

/**
 * The `stages` context for one stage, or undefined when it has no entry (a plain
 * `cdk deploy -c stage=dev` with the CLI's credentials needs none).
 */
export function parseStageTarget(stagesContext: unknown, stage: StageName): StageTarget | undefined {
  if (stagesContext === undefined || stagesContext === null) return undefined;
  const problems: string[] = [];
  const all = asObject(stagesContext, 'stages', problems);
  const target = all[stage] === undefined ? undefined : stageTarget(all[stage], stage, problems);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return target;
}

/**
 * Parses the `pipeline` and `stages` context objects; throws one error listing every problem.
 * `connectionArn` given on its own (`-c connectionArn=...`) wins over the one in `pipeline`.
 */
export function parsePipelineSettings(
  pipelineContext: unknown,
  stagesContext: unknown,
  connectionArn?: string,
): PipelineSettings {
  const problems: string[] = [];
  const raw = asObject(pipelineContext, 'pipeline (context)', problems);
  const stagesRaw = asObject(stagesContext, 'stages (context)', problems);
  const merged: Raw = connectionArn ? { ...raw, connectionArn } : raw;
  const stages = Object.fromEntries(
    STAGE_NAMES.map((stage) => [stage, stageTarget(stagesRaw[stage], stage, problems)]),
  ) as Record<StageName, StageTarget>;
  const settings: PipelineSettings = {
    account: text(merged, 'account', 'pipeline', problems, ACCOUNT),
    region: text(merged, 'region', 'pipeline', problems, REGION),
    connectionArn: text(merged, 'connectionArn', 'pipeline', problems, CONNECTION_ARN),
    repository: text(merged, 'repository', 'pipeline', problems, REPOSITORY),
    branch: optionalText(merged, 'branch') ?? 'main',
    triggerOnPush: flag(merged, 'triggerOnPush', 'pipeline', problems),
    loadTestGate: flag(merged, 'loadTestGate', 'pipeline', problems),
    stages,
  };
  if (problems.length > 0) {
    throw new Error(`pipeline configuration (cdk.json context, docs/pipeline.md):\n${problems.join('\n')}`);
  }
  return settings;
}
