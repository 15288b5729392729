/* global URL */
// Builds the browser chat into dist/web: one ES module bundle (esbuild) plus the page and its
// stylesheet, all served by the app itself (app/src/web). Run by `npm run build` after tsc.
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const out = here('../../dist/web/');

mkdirSync(out, { recursive: true });
await build({
  entryPoints: [here('./main.ts')],
  outfile: `${out}app.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of ['index.html', 'chat.css']) copyFileSync(here(`./${file}`), `${out}${file}`);
