import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Each source file under a root (path relative to it) and the files it imports from within it. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/**
 * Reads the relative imports and re-exports of every .ts file under `root` (type-only ones too:
 * they tie the files together for a reader as much as runtime ones do; and `import('./x.js')`
 * calls, which load a part only when configured but still make it depend on the file). Package
 * imports are left out; `./x.js` resolves to `./x.ts`, as under nodenext.
 */
export function importGraph(root: string): ImportGraph {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const path = join(root, file);
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest);
    const imports: string[] = [];
    for (const specifier of moduleSpecifiers(source)) {
      if (!ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
      imports.push(relative(root, resolve(dirname(path), specifier.text.replace(/\.js$/, '.ts'))));
    }
    graph.set(file, imports);
  }
  return graph;
}

/** The specifiers of a file's import and export declarations and of its `import(…)` calls, anywhere in it. */
function moduleSpecifiers(source: ts.SourceFile): ts.Expression[] {
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      found.push(node.moduleSpecifier);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [specifier] = node.arguments;
      if (specifier !== undefined) found.push(specifier);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The graph of top-level folders (a file directly under the root is a node of its own). */
export function folderGraph(graph: ImportGraph, leaveOut: ReadonlySet<string> = new Set()): ImportGraph {
  const folders = new Map<string, Set<string>>();
  for (const [file, imports] of graph) {
    if (leaveOut.has(file)) continue;
    const from = topFolder(file);
    const edges = folders.get(from) ?? new Set<string>();
    folders.set(from, edges);
    for (const imported of imports) if (topFolder(imported) !== from) edges.add(topFolder(imported));
  }
  return new Map([...folders].map(([folder, edges]) => [folder, [...edges]]));
}

/** Every loop: the strongly connected components with more than one node (Tarjan), sorted. */
export function cycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    lowLink.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        lowLink.set(node, Math.min(lowLink.get(node)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node)!, index.get(next)!));
      }
    }
    if (lowLink.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

function sourceFiles(root: string, folder = ''): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(root, path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function topFolder(file: string): string {
  return file.split('/')[0]!;
}
