/** Progress lines go to stderr so stdout stays clean for the final summary. */
export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
