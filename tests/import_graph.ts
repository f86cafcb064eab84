/**
 * Draws the import graph of the library's sources and checks its layering.
 *
 * Layers, bottom to top: `ffi/` < `core/` < `custom/` (the custom-filter framework) < feature
 * folders (`filters/`, `fileio/`, `dash/`, `httpout/`, `media/`, `live/`, `push/`) < `cli/` <
 * the entry points (`mod.ts`, `cli.ts`). A file may import its own folder and lower layers; type
 * imports count like value imports (a type cycle still ties two files together for a reader).
 * No import cycle is allowed, inside a folder or across folders. `media/`, `live/` and `push/`
 * build on the public API: they may import `mod.ts` (and so sit above it).
 *
 * Usage: `deno run --allow-read tests/import_graph.ts [--dot]` prints the problems (exit code 1
 * when there are some), or the graph in Graphviz format with `--dot`. `tests/layers_test.ts`
 * runs the same check.
 *
 * @module
 */

/** One import edge between two files of the library (paths relative to the repository). */
export interface ImportEdge {
  /** Importing file. */
  from: string;
  /** Imported file. */
  to: string;
  /** True for `import type` / `export type` statements. */
  typeOnly: boolean;
}

/** Result of {@link checkImports}. */
export interface ImportReport {
  /** Every edge found. */
  edges: ImportEdge[];
  /** Imports from a lower layer to a higher one, as `from -> to (layer a < layer b)`. */
  upward: string[];
  /** Import cycles, each as the list of files around it. */
  cycles: string[][];
}

const ROOT = new URL("../", import.meta.url);
const SOURCE_DIRS = [
  "ffi",
  "core",
  "custom",
  "filters",
  "fileio",
  "dash",
  "httpout",
  "media",
  "live",
  "push",
  "cli",
];
const ENTRY_POINTS = ["mod.ts", "cli.ts"];
/** Folders built on the public API (`../mod.ts`): above the entry points. */
const PUBLIC_API_USERS = new Set(["media", "live", "push"]);

/** Layer rank of a repository-relative path (higher may import lower). */
export function layerOf(path: string): number {
  const top = path.includes("/") ? path.slice(0, path.indexOf("/")) : path;
  switch (top) {
    case "ffi":
      return 0;
    case "core":
      return 1;
    case "custom":
      return 2;
    case "filters":
    case "fileio":
    case "dash":
    case "httpout":
      return 3;
    case "cli":
      return 4;
    case "mod.ts":
    case "cli.ts":
      return 5;
    default:
      return PUBLIC_API_USERS.has(top) ? 6 : 7;
  }
}

function stripComments(src: string): string {
  // strings holding comment markers are rare in import lines; a rough strip is enough here
  return src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

const STATIC_RE =
  /(?:^|[;\n])\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*["'](\.{1,2}\/[^"']+)["']/g;
const BARE_RE = /(?:^|[;\n])\s*import\s*["'](\.{1,2}\/[^"']+)["']/g;
const DYNAMIC_RE = /\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

function resolve(from: string, spec: string): string {
  const u = new URL(spec, new URL(from, "file:///r/"));
  return u.pathname.slice("/r/".length);
}

/** Lists the import edges of one source text (`file` relative to the repository). */
export function importsOf(file: string, source: string): ImportEdge[] {
  const src = stripComments(source);
  const out: ImportEdge[] = [];
  for (const m of src.matchAll(STATIC_RE)) {
    // `import { type A, type B }` is type-only too
    const names = m[3].replace(/^\{|\}$/g, "").split(",").map((s) => s.trim()).filter(Boolean);
    const allTypes = names.length > 0 && m[3].startsWith("{") &&
      names.every((n) => n.startsWith("type "));
    out.push({ from: file, to: resolve(file, m[4]), typeOnly: Boolean(m[2]) || allTypes });
  }
  for (const m of src.matchAll(BARE_RE)) {
    out.push({ from: file, to: resolve(file, m[1]), typeOnly: false });
  }
  for (const m of src.matchAll(DYNAMIC_RE)) {
    out.push({ from: file, to: resolve(file, m[1]), typeOnly: false });
  }
  return out;
}

function listSources(): string[] {
  const files: string[] = [...ENTRY_POINTS];
  const walk = (dir: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(new URL(dir, ROOT))];
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      throw e;
    }
    for (const e of entries) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) walk(p);
      else if (e.isFile && p.endsWith(".ts")) files.push(p);
    }
  };
  for (const d of SOURCE_DIRS) walk(d);
  return files.sort();
}

/** Cycles of a directed graph (one per strongly connected component, as a path around it). */
function findCycles(nodes: string[], next: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const sccs: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      const self = (next.get(v) ?? []).includes(v);
      if (comp.length > 1 || self) sccs.push(comp.sort());
    }
  };
  for (const n of nodes) if (!idx.has(n)) strong(n);
  return sccs;
}

/**
 * Reads every source file, and reports upward imports and cycles.
 * @param keep Edges to consider (all by default).
 */
export function checkImports(keep: (e: ImportEdge) => boolean = () => true): ImportReport {
  const files = listSources();
  const edges: ImportEdge[] = [];
  for (const f of files) {
    edges.push(...importsOf(f, Deno.readTextFileSync(new URL(f, ROOT))).filter(keep));
  }
  const upward: string[] = [];
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const a = layerOf(e.from);
    const b = layerOf(e.to);
    if (b > a) upward.push(`${e.from} -> ${e.to} (layer ${a} imports layer ${b})`);
    if (!next.has(e.from)) next.set(e.from, []);
    next.get(e.from)!.push(e.to);
  }
  return { edges, upward, cycles: findCycles(files, next) };
}

function toDot(edges: ImportEdge[]): string {
  const lines = ["digraph imports {", "  rankdir=BT;"];
  for (const e of edges) {
    lines.push(`  "${e.from}" -> "${e.to}"${e.typeOnly ? " [style=dashed]" : ""};`);
  }
  lines.push("}");
  return lines.join("\n");
}

if (import.meta.main) {
  const report = checkImports();
  if (Deno.args.includes("--dot")) {
    console.log(toDot(report.edges));
  } else {
    for (const u of report.upward) console.log(`upward import: ${u}`);
    for (const c of report.cycles) console.log(`import cycle: ${c.join(" <-> ")}`);
    console.log(
      `${report.edges.length} imports, ${report.upward.length} upward, ` +
        `${report.cycles.length} cycles`,
    );
    if (report.upward.length || report.cycles.length) Deno.exit(1);
  }
}
