import { appendFileSync } from 'node:fs';
import type { InitializeHook, ResolveHook } from 'node:module';

/** The loader-thread half of module-recorder.ts: appends each resolved URL to the record. */
let file: string | undefined;

export const initialize: InitializeHook<{ file: string }> = (data) => {
  file = data.file;
};

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  const resolved = await nextResolve(specifier, context);
  if (file !== undefined) appendFileSync(file, `${resolved.url}\n`);
  return resolved;
};
