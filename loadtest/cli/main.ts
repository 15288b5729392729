#!/usr/bin/env node
/**
 * `npm run loadtest -- [run|seed|bundle|report] …`: seeds users and rooms on the target, runs one
 * Artillery scenario against it, and writes the Markdown report with charts. The exit code
 * is the gate (see exit-codes.ts and docs/loadtest.md).
 *
 *   npm run loadtest -- --target http://localhost:8080 --scenario chat
 *   npm run loadtest -- seed --target https://staging.example.com --scenario chat --users 20000
 *   npm run loadtest -- report --results results.json --scenario chat --target https://…
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { findRepoRoot } from '../../infra/config/repo-root.js';
import { writeReport } from '../report/write-report.js';
import { bundleProcessor } from './bundle-processor.js';
import { SCENARIOS, isScenarioName, type ScenarioName } from './catalog.js';
import { CliError, EXIT } from './exit-codes.js';
import { runArtillery } from './run-artillery.js';
import { seed } from './seed.js';
import { validatePlan, type SeedPlan } from './seed-plan.js';

const USAGE = `usage: npm run loadtest -- [run|seed|bundle|report] [options]
  run (default)      seed, run the scenario with Artillery, write the report; exit 0 = gates passed
  seed               only create the users and rooms and write the users file
  bundle             only bundle the processor (before artillery run-fargate)
  report             only turn an Artillery results file into a report (--results FILE)
options:
  --target URL       http(s)://host[:port] of the chat service (run, seed)
  --scenario NAME    ${Object.keys(SCENARIOS).join(' | ')} (default chat)
  --users N          users to seed (default: the scenario's)
  --room-size K      members per room (default: the scenario's)
  --prefix P         user and room name prefix (default lt)
  --password PW      password of every seeded user (default: $LOADTEST_PASSWORD or a fixed one)
  --concurrency C    seeding requests in flight (default 8)
  --no-seed          run with the users file already seeded
  --environment E    the scenario file's environments.E profile (bigger phases for staging)
  --variables JSON   merged into the scenario's variables, e.g. '{"sendRate":2}'
  --overrides JSON   merged into the scenario (Artillery --overrides), e.g. tighter ensure gates
  --out DIR          report directory (default loadtest/results/<scenario>-<time>)
  --results FILE     Artillery JSON (report)`;

const DEFAULT_PASSWORD = 'loadtest-password-1';

const COMMANDS = ['run', 'seed', 'bundle', 'report'] as const;
type Command = (typeof COMMANDS)[number];
const isCommand = (value: string): value is Command => (COMMANDS as readonly string[]).includes(value);

interface Options {
  readonly command: Command;
  readonly scenario: ScenarioName;
  readonly target?: string;
  readonly plan: SeedPlan;
  readonly concurrency: number;
  readonly seed: boolean;
  readonly environment?: string;
  readonly variables?: string;
  readonly overrides?: string;
  readonly out?: string;
  readonly results?: string;
}

function parseOptions(argv: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        target: { type: 'string' },
        scenario: { type: 'string', default: 'chat' },
        users: { type: 'string' },
        'room-size': { type: 'string' },
        prefix: { type: 'string', default: 'lt' },
        password: { type: 'string' },
        concurrency: { type: 'string', default: '8' },
        'no-seed': { type: 'boolean', default: false },
        environment: { type: 'string' },
        variables: { type: 'string' },
        overrides: { type: 'string' },
        out: { type: 'string' },
        results: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new CliError(EXIT.usage, `${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new CliError(EXIT.passed, USAGE);
  const command = positionals[0] ?? 'run';
  if (!isCommand(command)) {
    throw new CliError(EXIT.usage, `unknown command '${command}'\n${USAGE}`);
  }
  if (!isScenarioName(values.scenario)) {
    throw new CliError(
      EXIT.usage,
      `unknown scenario '${values.scenario}' (expected one of: ${Object.keys(SCENARIOS).join(', ')})`,
    );
  }
  const entry = SCENARIOS[values.scenario];
  const plan: SeedPlan = {
    prefix: values.prefix,
    users: integer('--users', values.users, entry.users),
    roomSize: integer('--room-size', values['room-size'], entry.roomSize),
    password: values.password ?? process.env['LOADTEST_PASSWORD'] ?? DEFAULT_PASSWORD,
  };
  const problems = validatePlan(plan);
  if (problems.length > 0) throw new CliError(EXIT.usage, problems.join('\n'));
  const target = values.target === undefined ? undefined : targetUrl(values.target);
  if ((command === 'run' || command === 'seed') && target === undefined)
    throw new CliError(EXIT.usage, `--target is required\n${USAGE}`);
  if (command === 'report' && values.results === undefined) throw new CliError(EXIT.usage, '--results is required');
  jsonObject('--variables', values.variables);
  jsonObject('--overrides', values.overrides);
  return {
    command,
    scenario: values.scenario,
    target,
    plan,
    concurrency: integer('--concurrency', values.concurrency, 8),
    seed: !values['no-seed'],
    environment: values.environment,
    variables: values.variables,
    overrides: values.overrides,
    out: values.out,
    results: values.results,
  };
}

function jsonObject(flag: string, value: string | undefined): void {
  if (value === undefined) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(EXIT.usage, `${flag} must be a JSON object (got '${value}')`);
  }
}

function integer(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new CliError(EXIT.usage, `${flag} must be a whole number ≥ 1 (got '${value}')`);
  return parsed;
}

function targetUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(EXIT.usage, `--target must be an http(s) URL (got '${value}')`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(EXIT.usage, `--target must be an http(s) URL (got '${value}')`);
  }
  return url.origin;
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const repoRoot = findRepoRoot(import.meta.url);
  const entry = SCENARIOS[options.scenario];
  const usersFile = join(repoRoot, 'loadtest', '.data', `${options.scenario}.csv`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = options.out ?? join(repoRoot, 'loadtest', 'results', `${options.scenario}-${stamp}`);
  const target = options.target ?? 'unknown';

  if (options.command === 'bundle') {
    console.log(`processor bundle: ${relative(process.cwd(), await bundleProcessor(repoRoot))}`);
    return EXIT.passed;
  }
  if (options.command === 'report') {
    const file = await writeReport(options.results!, out, {
      scenario: options.scenario,
      target,
      startedAt: stamp,
      exitCode: 0,
      checks: [],
    });
    console.log(`report: ${relative(process.cwd(), file)}`);
    return EXIT.passed;
  }

  if (options.seed) {
    const { plan } = options;
    console.error(`seeding ${plan.users} users in rooms of ${plan.roomSize} on ${target}`);
    try {
      await seed({ target, plan, usersFile, concurrency: options.concurrency });
    } catch (error) {
      throw new CliError(EXIT.seedFailed, `seeding failed: ${(error as Error).message} (re-run to resume)`);
    }
  } else if (!existsSync(usersFile)) {
    throw new CliError(EXIT.usage, `--no-seed: ${relative(process.cwd(), usersFile)} does not exist yet; seed first`);
  }
  if (options.command === 'seed') {
    console.error(`users file: ${relative(process.cwd(), usersFile)}`);
    return EXIT.passed;
  }

  await bundleProcessor(repoRoot);
  mkdirSync(out, { recursive: true });
  const resultsFile = join(out, 'results.json');
  const startedAt = new Date().toISOString();
  const outcome = await runArtillery({
    repoRoot,
    scenarioFile: join(repoRoot, 'loadtest', 'scenarios', entry.file),
    target,
    resultsFile,
    environment: options.environment,
    variables: options.variables,
    overrides: options.overrides,
  });
  if (!existsSync(resultsFile)) {
    throw new CliError(EXIT.runFailed, `Artillery exited with ${outcome.exitCode} and wrote no results`);
  }
  const report = await writeReport(resultsFile, out, {
    scenario: options.scenario,
    target,
    startedAt,
    exitCode: outcome.exitCode,
    checks: outcome.checks,
  });
  console.log(`report: ${relative(process.cwd(), report)}`);
  return outcome.exitCode === 0 ? EXIT.passed : EXIT.gateFailed;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      (error.exitCode === EXIT.passed ? console.log : console.error)(error.message);
      process.exitCode = error.exitCode;
      return;
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = EXIT.runFailed;
  },
);
