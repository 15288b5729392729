import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { formatFinding, lintWorkflow, lintWorkflows, workflowFiles } from '../../infra/ci/workflow-lint.js';
import { PIPELINE_NAME, SOURCE_ACTION_NAME } from '../../infra/stacks/pipeline-stack.js';
import { REPO_ROOT } from './support/build-stage.js';

interface Job {
  'runs-on'?: string;
  uses?: string;
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix: Record<string, unknown> };
  steps?: { uses?: string; run?: string; with?: Record<string, string> }[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const files = workflowFiles(REPO_ROOT);
const text = (name: string) =>
  readFileSync(
    files.find((f) => basename(f) === name)!,
    'utf8',
  );
const workflow = (name: string) => parse(text(name)) as Workflow;

describe('GitHub Actions workflows', () => {
  it('lint clean with actionlint', async () => {
    expect(files.map((f) => basename(f))).toEqual(['pull-request.yml', 'release.yml', 'tests.yml']);
    expect((await lintWorkflows(REPO_ROOT)).map(formatFinding)).toEqual([]);
  }, 60_000);

  it('has a linter that finds real mistakes (unknown context property, unknown action input)', async () => {
    const broken = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-24.04',
      '    steps:',
      '      - run: echo ${{ github.no_such_thing }}',
      '      - uses: actions/checkout@v4',
      '        with:',
      '          no-such-input: x',
    ].join('\n');
    const kinds = (await lintWorkflow(broken, 'broken.yml')).map((f) => f.kind).sort();
    expect(kinds).toEqual(['action', 'expression']);
  }, 60_000);

  it('runs the tests, a synth of every stage and of the pipeline, and the diff on pull requests', () => {
    const pr = workflow('pull-request.yml');
    expect(Object.keys(pr.on)).toEqual(['pull_request']);
    expect(pr.permissions).toEqual({ contents: 'read' });
    expect(pr.jobs['tests']?.uses).toBe('./.github/workflows/tests.yml');
    expect(pr.jobs['synth']?.strategy?.matrix['stage']).toEqual(['dev', 'staging', 'prod', 'pipeline']);
    const synthStep = pr.jobs['synth']?.steps?.find(
      (s) => s.run === 'npx cdk synth --quiet -c stage=${{ matrix.stage }}',
    );
    expect(synthStep).toBeDefined();
    // Synth needs no AWS access at all.
    expect(pr.jobs['synth']?.permissions).toBeUndefined();

    const diff = pr.jobs['diff']!;
    expect(diff.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'pull-requests': 'write' });
    const credentials = diff.steps?.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(credentials?.with?.['role-to-assume']).toBe('${{ vars.AWS_DIFF_ROLE_ARN }}');
    const script = diff.steps?.map((s) => s.run ?? '').join('\n');
    expect(script).toContain('npx cdk diff --all --no-change-set -c "stage=${stage}"');
    expect(diff.steps?.some((s) => s.uses?.startsWith('actions/github-script'))).toBe(true);
  });

  it('releases main through the OIDC deploy role by starting the pipeline at the tested commit', () => {
    const release = workflow('release.yml');
    expect(release.on).toEqual({ push: { branches: ['main'] } });
    const job = release.jobs['release']!;
    expect(job.needs).toBe('tests');
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const credentials = job.steps?.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(credentials?.with?.['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
    const run = job.steps?.map((s) => s.run ?? '').join('\n');
    expect(run).toContain(`--name ${PIPELINE_NAME}`);
    expect(run).toContain(`actionName=${SOURCE_ACTION_NAME},revisionType=COMMIT_ID,revisionValue=\${GITHUB_SHA}`);
  });

  it('keeps no AWS keys: no workflow reads an access key or secret key', () => {
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      expect(source).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
      expect(source).not.toMatch(/secrets\.AWS/);
    }
  });

  it('lints the workflows in the test job CI runs', () => {
    const steps = workflow('tests.yml').jobs['test']?.steps?.map((s) => s.run);
    expect(steps).toEqual(expect.arrayContaining(['npm run lint:workflows', 'npm test']));
  });
});
