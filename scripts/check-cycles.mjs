// Import-cycle check for the TypeScript sources of the companion and the emulator. Every
// `import`, `export … from` and `import()` counts, type-only imports included: a cycle of types
// still means two modules cannot be understood (or moved) apart. Fails naming each cycle found.
// Usage: node scripts/check-cycles.mjs [--folders] [dir ...]   (default: companion/src emulator/src)
//   --folders  also print the folder-level dependency graph and the folder pairs that depend on
//              each other both ways (informational; only module cycles fail the check).
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const args = process.argv.slice(2);
const showFolders = args.includes('--folders');
const dirs = args.filter((a) => !a.startsWith('--'));
const targets = (dirs.length > 0 ? dirs : ['companion/src', 'emulator/src']).map((d) => resolve(root, d));

const SPECIFIER =
  /(?:^|[;\s])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The file a relative specifier names (`./x.js` is `./x.ts` in the sources). */
function resolveSpecifier(from, specifier) {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base,
    base.replace(/\.m?js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    `${base}.ts`,
    join(base, 'index.ts'),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

export function importGraph(dir) {
  const graph = new Map();
  for (const file of sourceFiles(dir)) {
    const text = stripComments(readFileSync(file, 'utf8'));
    const deps = new Set();
    for (const match of text.matchAll(SPECIFIER)) {
      const target = resolveSpecifier(file, match[1] ?? match[2] ?? match[3]);
      if (target && target.startsWith(dir)) deps.add(target);
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Strongly connected components with more than one module (or a module importing itself). */
export function cycles(graph) {
  let index = 0;
  const stack = [];
  const meta = new Map();
  const found = [];
  const visit = (node) => {
    meta.set(node, { index, low: index, onStack: true });
    index += 1;
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!meta.has(next)) {
        visit(next);
        meta.get(node).low = Math.min(meta.get(node).low, meta.get(next).low);
      } else if (meta.get(next).onStack) {
        meta.get(node).low = Math.min(meta.get(node).low, meta.get(next).index);
      }
    }
    if (meta.get(node).low === meta.get(node).index) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        meta.get(member).onStack = false;
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!meta.has(node)) visit(node);
  return found;
}

function folderOf(dir, file) {
  const rel = relative(dir, file);
  return rel.includes('/') ? rel.split('/')[0] : rel.replace(/\.m?ts$/, '');
}

function folderReport(dir, graph) {
  const edges = new Map();
  for (const [file, deps] of graph) {
    const from = folderOf(dir, file);
    for (const dep of deps) {
      const to = folderOf(dir, dep);
      if (to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from).add(to);
    }
  }
  const lines = [...edges.keys()].sort().map((f) => `  ${f} → ${[...edges.get(f)].sort().join(', ')}`);
  const both = [];
  for (const [from, tos] of edges)
    for (const to of tos) if (from < to && edges.get(to)?.has(from)) both.push(`${from} ↔ ${to}`);
  return { lines, both: both.sort() };
}

let failed = 0;
for (const dir of targets) {
  const graph = importGraph(dir);
  const label = relative(root, dir) || dir;
  const found = cycles(graph);
  if (showFolders) {
    const { lines, both } = folderReport(dir, graph);
    console.log(`${label}: folder dependencies\n${lines.join('\n')}`);
    console.log(`${label}: folder pairs depending on each other both ways: ${both.length ? both.join(', ') : 'none'}`);
  }
  if (found.length === 0) {
    console.log(`${label}: ${graph.size} modules, no import cycle`);
    continue;
  }
  failed += found.length;
  console.error(`${label}: ${found.length} import cycle(s):`);
  for (const component of found) console.error(`  ${component.map((f) => relative(dir, f)).join(' ⇄ ')}`);
}
process.exitCode = failed > 0 ? 1 : 0;
