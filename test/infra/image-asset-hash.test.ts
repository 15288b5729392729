import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { App, Stack } from 'aws-cdk-lib';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import { IMAGE_EXCLUDES } from '../../infra/constructs/chat-image.js';
import { REPO_ROOT } from './support/build-stage.js';

/** The hash the service stack's DockerImageAsset gets for `directory` (same options). */
function assetHash(directory: string): string {
  const stack = new Stack(new App(), 'S');
  return new ecrAssets.DockerImageAsset(stack, 'Image', {
    directory,
    file: 'Dockerfile',
    exclude: IMAGE_EXCLUDES,
    platform: ecrAssets.Platform.LINUX_AMD64,
  }).assetHash;
}

/** Build-context sources of the Dockerfile's COPY/ADD lines (not `--from=` stage copies, not URLs). */
function dockerfileSources(): string[] {
  const lines = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim());
  const sources = lines
    .filter((l) => /^(COPY|ADD)\s/.test(l) && !/--from=/.test(l))
    .flatMap((l) => {
      const args = l
        .split(/\s+/)
        .slice(1)
        .filter((a) => !a.startsWith('--'));
      return args.slice(0, -1).filter((a) => !/^https?:\/\//.test(a));
    })
    .map((a) => a.replace(/^\.\//, '').replace(/\/$/, ''));
  return [...new Set(sources)];
}

// A scratch copy of the repository's files, so the test can edit them without touching the worktree.
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'image-hash-'));
  for (const entry of [
    'Dockerfile',
    '.dockerignore',
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'eslint.config.js',
    'README.md',
    'app',
    'docs',
  ]) {
    cpSync(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('image asset hash', () => {
  it('does not change when eslint.config.js, a doc, a test or the README changes', () => {
    const before = assetHash(dir);
    appendFileSync(join(dir, 'eslint.config.js'), '\n// a lint rule changed\n');
    appendFileSync(join(dir, 'README.md'), '\nmore words\n');
    appendFileSync(join(dir, 'docs', 'deploy.md'), '\nmore words\n');
    cpSync(join(REPO_ROOT, 'jest.config.js'), join(dir, 'jest.config.js'));
    expect(assetHash(dir)).toBe(before);
  });

  it('changes when the application source or the lockfile changes', () => {
    const before = assetHash(dir);
    appendFileSync(join(dir, 'app', 'src', 'main.ts'), '\n// a real change\n');
    const afterSource = assetHash(dir);
    expect(afterSource).not.toBe(before);
    appendFileSync(join(dir, 'package-lock.json'), '\n');
    expect(assetHash(dir)).not.toBe(afterSource);
  });

  it('lets in exactly what the Dockerfile copies (plus the Dockerfile itself)', () => {
    const allowed = IMAGE_EXCLUDES.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    expect(IMAGE_EXCLUDES[0]).toBe('*');
    expect([...allowed].sort()).toEqual(['Dockerfile', ...dockerfileSources()].sort());
  });
});
