// First, before any decorator runs, also in the bundle (app/build-bundle.mjs), whose shared
// chunks load ahead of the module that imported it in the compiled tree (app-factory.ts).
import 'reflect-metadata';
import { AppError } from './errors/app-error.js';
import { holdYoungGeneration } from './ops/startup-heap.js';

// Before the service's modules load (hence the import() below): see startup-heap.ts.
const releaseYoungGeneration = holdYoungGeneration();

try {
  const { serve } = await import('./serve.js');
  await serve(releaseYoungGeneration);
} catch (error: unknown) {
  // Configuration errors are the user's to fix: print them plainly, without a stack trace.
  if (error instanceof AppError) console.error(error.message);
  else console.error(error);
  process.exit(1);
}
