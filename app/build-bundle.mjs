/* global URL */
// Bundles the compiled service (tsc's dist/app/src/main.js, decorator metadata already emitted)
// into dist/app/src/bundle: what production runs (Dockerfile CMD, `npm start`). Run by
// `npm run build` after tsc.
//
// Why: a process that loads ~3,000 module files keeps each one's source text and per-module
// records for its life; one bundle held ~17 MiB less RSS two seconds after listening
// (docs/benchmarks.md, "Baseline memory"). Code splitting keeps every lazy `import()` of the
// service lazy: what a configuration does not use is a chunk that is never read.
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const BUNDLE_DIR = `${dist}app/src/bundle`;

/**
 * Left to Node's own resolution from node_modules, as shipped:
 * - better-sqlite3: a native addon;
 * - mongoose, mongodb: loaded only with MESSAGE_STORE=mongo, which no test here can run against
 *   a server, so they stay byte for byte what their own suites tested;
 * - @aws-sdk/*: loaded only on ECS (deregistration watcher), mocked by tests at the package;
 * - @nestjs/swagger: loaded on the first /docs request; it locates its UI files by __dirname;
 * - optional peers Nest and swagger probe for and this service does not install.
 */
const EXTERNAL = [
  'better-sqlite3',
  'mongoose',
  'mongodb',
  '@aws-sdk/*',
  '@nestjs/swagger',
  '@nestjs/microservices',
  '@nestjs/microservices/*',
  '@nestjs/platform-socket.io',
  '@fastify/static',
];

// Chunk names carry content hashes: a stale chunk of an earlier build would linger.
rmSync(BUNDLE_DIR, { recursive: true, force: true });
const result = await build({
  entryPoints: { main: `${dist}app/src/main.js` },
  outdir: BUNDLE_DIR,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: ['node20'],
  // Identifiers are kept, not minified: Nest and TypeORM read class names. esbuild's keepNames
  // would restore them after minifying, but by wrapping every named function, also each closure
  // made per call (an Object.defineProperty per call on the hot path).
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  external: EXTERNAL,
  // Bundled CommonJS packages call require() (Node built-ins, TypeORM's driver loading) and some
  // read __dirname; an ES module has neither.
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { dirname as __pathDirname } from 'node:path';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      'const require = __createRequire(import.meta.url);',
      'const __filename = __fileURLToPath(import.meta.url);',
      'const __dirname = __pathDirname(__filename);',
    ].join(' '),
  },
});
// Which chunk holds which package: the start-up tests check what a configuration loads.
writeFileSync(`${BUNDLE_DIR}/meta.json`, JSON.stringify(result.metafile));
