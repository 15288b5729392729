/** Number formatting for the Markdown report; '—' marks "not measured / not applicable". */
export function fmt(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Pass/fail cell; null means the metric could not be measured. */
export function verdict(pass: boolean | null): string {
  if (pass === null) return 'n/a';
  return pass ? 'PASS' : 'FAIL';
}

/** One Markdown table; cells are escaped for '|' so free text cannot break the layout. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `<date>-<commit>[-quick][-<scenarios>]`: one file name per kind of run, sortable by date. */
export function resultBaseName(options: {
  readonly dateIso: string;
  readonly commit: string;
  readonly quick: boolean;
  readonly subset: readonly string[] | null;
}): string {
  const parts = [options.dateIso.slice(0, 10), options.commit];
  if (options.quick) parts.push('quick');
  if (options.subset && options.subset.length > 0) parts.push(subsetName(options.subset));
  return parts.join('-').replace(/[^A-Za-z0-9+._-]/g, '_');
}

/** Longest scenario list in a file name; file systems stop at 255 bytes, and charts add a suffix. */
const MAX_SUBSET_CHARS = 120;

/** `a+b+c`, or as many names as fit followed by `+<n>-more` for a long selection. */
function subsetName(subset: readonly string[]): string {
  const all = subset.join('+');
  if (all.length <= MAX_SUBSET_CHARS) return all;
  const kept: string[] = [];
  for (const name of subset) {
    const rest = `+${subset.length - kept.length - 1}-more`;
    if ([...kept, name].join('+').length + rest.length > MAX_SUBSET_CHARS) break;
    kept.push(name);
  }
  return `${kept.join('+')}+${subset.length - kept.length}-more`;
}
