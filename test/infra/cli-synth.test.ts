import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { pipelineAppContext, testPipelineContext, testStagesContext } from './support/build-pipeline.js';
import { REPO_ROOT, cdkJsonContext, defaultOverrides } from './support/build-stage.js';

const outDirs: string[] = [];
afterAll(() => outDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * Runs the compiled entry point the way the CDK CLI does (context in CDK_CONTEXT_JSON, output
 * directory in CDK_OUTDIR), with no AWS credentials or CDK_DEFAULT_* variables: offline.
 */
function synth(context: Record<string, unknown>): Promise<{ code: number | null; stderr: string; outDir: string }> {
  const outDir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
  outDirs.push(outDir);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/infra/bin/main.js')], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outDir },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr, outDir }));
  });
}

describe('cdk synth through bin/main.ts, offline', () => {
  it('synthesizes the pipeline and every stage it deploys, nag plugin installed, from cdk.json-style context', async () => {
    const { code, stderr, outDir } = await synth({
      ...pipelineAppContext(),
      stage: 'pipeline',
      pipeline: testPipelineContext(),
      stages: testStagesContext(),
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as {
      artifacts: Record<string, { type: string }>;
      missing?: unknown[];
    };
    expect(manifest.missing).toBeUndefined();
    expect(Object.keys(manifest.artifacts)).toEqual(
      expect.arrayContaining([
        'Chat-Pipeline',
        'Chat-GitHubOidc',
        'assembly-Chat-Pipeline-Dev',
        'assembly-Chat-Pipeline-Staging',
        'assembly-Chat-Pipeline-Prod',
      ]),
    );
  }, 180_000);

  it('refuses prod without an account and region, with the reason and no stack trace', async () => {
    const { code, stderr } = await synth({ ...cdkJsonContext(), stage: 'prod', ...defaultOverrides('prod') });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'stage prod: needs a concrete account and region (three AZs from the region\'s real list); pass -c account=123456789012 -c region=eu-west-1 or put them in the "stages" context (docs/pipeline.md)',
    );
  }, 60_000);

  it('takes prod account, region and values from the stages context, and asks for the AZ lookup cdk.context.json caches', async () => {
    const { code, outDir } = await synth({ ...cdkJsonContext(), stage: 'prod', stages: testStagesContext() });
    const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as {
      missing?: { key: string }[];
    };
    // The CLI would now look the AZs up with credentials and write them to cdk.context.json.
    expect(manifest.missing?.map((m) => m.key)).toContain('availability-zones:account=123456789012:region=eu-west-1');
    expect(code).toBe(0);
  }, 120_000);
});
