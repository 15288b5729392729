import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { IMAGE_EXCLUDES } from '../../infra/stacks/service-stack.js';
import { REPO_ROOT } from './support/build-stage.js';

const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
/** Instructions with line continuations joined and comments dropped. */
const instructions = dockerfile
  .replace(/\s*\\\n\s*/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

describe('Dockerfile', () => {
  it('builds in one stage and runs from a fresh Node LTS slim image', () => {
    expect(instructions.filter((i) => i.startsWith('FROM '))).toEqual([
      'FROM node:22-bookworm-slim AS build',
      'FROM node:22-bookworm-slim',
    ]);
    expect(instructions).toEqual(
      expect.arrayContaining([
        'RUN npm ci',
        'RUN npm run build && npm prune --omit=dev',
        'COPY --from=build /app/node_modules ./node_modules',
        'COPY --from=build /app/dist ./dist',
      ]),
    );
  });

  it('bakes in the RDS CA bundle the DocumentDB and MySQL clients trust', () => {
    expect(instructions).toContain(
      'ADD https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /app/certs/global-bundle.pem',
    );
  });

  it('runs node as PID 1 under the unprivileged node user', () => {
    const runtime = instructions.slice(instructions.lastIndexOf('FROM node:22-bookworm-slim'));
    expect(runtime).toEqual(
      expect.arrayContaining([
        'ENV NODE_ENV=production PORT=8080',
        'USER node',
        'EXPOSE 8080',
        'STOPSIGNAL SIGTERM',
        'CMD ["node", "dist/app/src/main.js"]',
      ]),
    );
    expect(runtime.find((i) => i.startsWith('HEALTHCHECK'))).toMatch(
      /CMD \["node", "\/app\/dist\/app\/src\/ops\/healthcheck\.js"\]$/,
    );
    expect(runtime.findIndex((i) => i === 'USER node')).toBeLessThan(runtime.findIndex((i) => i.startsWith('CMD')));
  });

  it('keeps .dockerignore and the CDK asset excludes in step', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect([...ignored].sort()).toEqual([...IMAGE_EXCLUDES].sort());
  });
});
