/**
 * Preloaded into a server process under test (`node --import <this file, compiled>`): writes
 * every module the process loads to the file named by RECORD_LOADED_MODULES_TO, one URL or path
 * a line. ES modules are seen by a resolve hook on Node's loader thread as they are resolved;
 * CommonJS files that packages `require` among themselves never pass that hook, so the contents
 * of require.cache are added at exit. Together they say which packages the process loaded.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.RECORD_LOADED_MODULES_TO;
if (file !== undefined) {
  register('./module-recorder-hooks.js', import.meta.url, { data: { file } });
  process.on('exit', () => {
    appendFileSync(file, `${Object.keys(createRequire(import.meta.url).cache).join('\n')}\n`);
  });
}
