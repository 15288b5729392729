#!/usr/bin/env node
/** `npm run lint:workflows`: exit 1 with one line per finding when a workflow file is wrong. */
import { findRepoRoot } from '../config/repo-root.js';
import { formatFinding, lintWorkflows } from './workflow-lint.js';

lintWorkflows(findRepoRoot()).then(
  (findings) => {
    for (const f of findings) console.error(formatFinding(f));
    if (findings.length > 0) process.exitCode = 1;
    else console.log('workflows: no actionlint findings');
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
