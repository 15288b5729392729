/**
 * Runs one scenario with the repository's own Artillery (a devDependency) and keeps what
 * the report needs: the JSON results and the `ensure` check lines Artillery prints.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ArtilleryRun {
  readonly repoRoot: string;
  readonly scenarioFile: string;
  readonly target: string;
  readonly resultsFile: string;
  /** `--environment` profile of the scenario file. @default - none */
  readonly environment?: string;
  /** JSON object merged into `config.variables`. @default - none */
  readonly variables?: string;
  /** JSON merged into the whole script (Artillery `--overrides`). @default - none */
  readonly overrides?: string;
  /** Keep Artillery's console report to ourselves (tests). @default false */
  readonly quiet?: boolean;
  /** Extra environment for Artillery and its workers. */
  readonly env?: Record<string, string>;
}

export interface ArtilleryOutcome {
  readonly exitCode: number;
  /** `ok: …` / `fail: …` lines of the ensure plugin, in order. */
  readonly checks: readonly { readonly passed: boolean; readonly check: string }[];
}

// Colour codes around Artillery's check lines (ESC [ … m).
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const CHECK_LINE = /^(ok|fail): (.+)$/;

export function runArtillery(run: ArtilleryRun): Promise<ArtilleryOutcome> {
  const args = ['run', run.scenarioFile, '--target', run.target, '--output', run.resultsFile];
  if (run.environment) args.push('--environment', run.environment);
  if (run.variables) args.push('--variables', run.variables);
  if (run.overrides) args.push('--overrides', run.overrides);
  const bin = join(run.repoRoot, 'node_modules', '.bin', 'artillery');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: run.repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
      // No telemetry from a test rig; the ensure checks decide the exit code.
      env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true', ...run.env },
    });
    const checks: { passed: boolean; check: string }[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (!run.quiet) process.stdout.write(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = CHECK_LINE.exec(line.replace(ANSI, '').trim());
        if (match) checks.push({ passed: match[1] === 'ok', check: match[2]! });
      }
    });
    child.on('error', (error) => reject(new Error(`could not start Artillery (${bin}): ${error.message}`)));
    child.on('close', (code, signal) => resolve({ exitCode: code ?? (signal ? 128 : 1), checks }));
  });
}
