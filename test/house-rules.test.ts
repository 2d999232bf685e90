import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli-helpers.js';

const SOURCE_DIRS = ['sim', 'agents', 'environments', 'traces', 'analysis', 'lab', 'cli'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const files = SOURCE_DIRS.flatMap((d) => sourceFiles(join(ROOT, d)));
const read = (f: string) => readFileSync(f, 'utf8');
const rel = (f: string) => relative(ROOT, f);

/** An import of a model provider's SDK (LangChain's provider packages and the SDKs under them). */
const MODEL_SDK = /from '(@langchain\/(openai|anthropic|google-genai|ollama)|openai|langchain|@anthropic-ai\/sdk|@google\/generative-ai|ollama)'/;

describe('house rules (design.md §3, §4)', () => {
  it('reads time and randomness only in the kernel', () => {
    const offenders = files
      .filter((f) => !rel(f).startsWith('sim/kernel/'))
      .filter((f) => /Math\.random|Date\.now|new Date\(|randomUUID/.test(read(f)))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it('keeps dependencies pointing one way', () => {
    // traces ← sim ← environments ← agents ← analysis ← lab ← cli. A folder may import only from
    // the folders listed for it (and itself).
    // `lab/` (what runs things and writes what it finds: episodes, experiments, elicitations, replay,
    // fork, the rule labels of a finished run) sits above `analysis/` rather than below it because the
    // runners use what analysis computes: the experiment runner plans its cells with analysis' planner
    // (the same one `experiment plan` and the result tables read) and prices usage with it, the
    // elicitation runner fits the Thurstonian model between rounds to choose the next pairs, and
    // labels are stored under analysis' taxonomy (classifier version, rater name). Moving those down
    // below `lab/` would split concepts that analysis reads. The other way round, `analysis/` only
    // reads stores and computes, so it never needs a runner.
    const allowed: Record<string, string[]> = {
      traces: [],
      sim: ['traces'],
      environments: ['sim', 'traces'],
      agents: ['environments', 'sim', 'traces'],
      analysis: ['agents', 'environments', 'sim', 'traces'],
      lab: ['analysis', 'agents', 'environments', 'sim', 'traces'],
      cli: ['lab', 'analysis', 'agents', 'environments', 'sim', 'traces'],
    };
    const violations: string[] = [];
    for (const f of files) {
      const own = rel(f).split('/')[0]!;
      for (const [, spec] of read(f).matchAll(/(?:from |import\()'(\.\.?\/[^']+)'/g)) {
        const target = relative(ROOT, join(f, '..', spec!)).split('/')[0]!;
        if (target !== own && !allowed[own]!.includes(target)) violations.push(`${rel(f)} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('imports another layer only through its index.ts', () => {
    // A layer's index.ts is its public face: what it exports is what other layers may use, so a
    // module can be moved or split inside its layer without touching its users. Within a layer,
    // relative imports are free. Type-only and dynamic imports count too.
    // The exceptions are the CLI's start-up leaves (the 'CLI start-up' test below lists them): the
    // CLI reads them before any command runs (the remote providers' variables, a command's default
    // settings for its help, the counted runs of `runs --experiment`, number formatting), and going through their layer's
    // index would load the whole layer (model layer, analysis) at every start. Only cli/ may use them.
    const startupLeaves = new Set([
      'agents/models/providers/remote-providers.ts', 'analysis/experiment/counted-runs.ts', 'analysis/stats/format-number.ts', 'lab/elicit-settings.ts',
    ]);
    const bypasses: string[] = [];
    for (const f of files) {
      const own = rel(f).split('/')[0]!;
      for (const [, spec] of read(f).matchAll(/(?:from |import\()'(\.\.?\/[^']+)'/g)) {
        const target = relative(ROOT, join(f, '..', spec!)).replace(/\.js$/, '.ts');
        const layer = target.split('/')[0]!;
        if (layer === own || !SOURCE_DIRS.includes(layer) || target === `${layer}/index.ts`) continue;
        if (own === 'cli' && startupLeaves.has(target)) continue;
        bypasses.push(`${rel(f)} imports ${spec}`);
      }
    }
    expect(bypasses).toEqual([]);
  });

  it('touches better-sqlite3 only in traces/, model SDKs only in agents/, ink only in cli/', () => {
    const misplaced = files.flatMap((f) => {
      const text = read(f);
      const own = rel(f).split('/')[0];
      const out: string[] = [];
      if (/from 'better-sqlite3'/.test(text) && own !== 'traces') out.push(`${rel(f)}: better-sqlite3`);
      if (MODEL_SDK.test(text) && own !== 'agents') out.push(`${rel(f)}: model SDK`);
      if (/from 'ink'/.test(text) && own !== 'cli') out.push(`${rel(f)}: ink`);
      return out;
    });
    expect(misplaced).toEqual([]);
  });

  it('loads a provider\'s SDK only when one of its models is used', () => {
    // SDKs are imported by the providers' client modules only, and those only through `load`
    // (a dynamic import), so that importing peerlab loads no model SDK at all.
    const misplaced = files.filter((f) => MODEL_SDK.test(read(f)) && !/^agents\/models\/providers\/[a-z-]+-client\.ts$/.test(rel(f))).map(rel);
    const staticClientImports = files.filter((f) => /from '\.\/[a-z-]+-client\.js'/.test(read(f))).map(rel);
    expect(misplaced).toEqual([]);
    expect(staticClientImports).toEqual([]);
  });
});

/** The source files a file imports: static imports and re-exports (type-only ones too) and dynamic `import()`s. */
function importsOf(file: string): string[] {
  const specs = [...read(file).matchAll(/(?:^|\s)(?:from|import\()\s*'(\.\.?\/[^']+)'/g)].map((m) => m[1]!);
  return specs.flatMap((spec) => {
    const base = join(file, '..', spec).replace(/\.js$/, '');
    return [`${base}.ts`, `${base}.tsx`].filter((p) => fileSet.has(p));
  });
}
const fileSet = new Set(files);

/** The strongly connected components of more than one file (Tarjan): each is a set of files that import each other in a circle. */
function importCycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const edges = new Map(files.map((f) => [f, importsOf(f)]));
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(rel(w));
      } while (w !== v);
      if (component.length > 1 || edges.get(v)!.includes(v)) cycles.push(component.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return cycles;
}

describe('imports', () => {
  it('form no cycle (type-only and dynamic imports count too)', () => {
    // Known and not yet broken: the shell emulator's interpreter runs commands, builtins and
    // programs, which take the interpreter (`Shell`) as their argument and start subshells. Breaking
    // it needs an interface for what a builtin may do to its shell; do not add to this list.
    const known = [[
      'environments/world/shell/builtins-print.ts', 'environments/world/shell/builtins-vars.ts', 'environments/world/shell/builtins.ts',
      'environments/world/shell/commands.ts', 'environments/world/shell/interpreter.ts', 'environments/world/shell/programs.ts',
      'environments/world/shell/redirect.ts', 'environments/world/shell/test-builtin.ts',
    ]];
    expect(importCycles()).toEqual(known);
  });

  it('never cross from one command to another, or from a screen to a command', () => {
    // A parent command registers its subcommands (`utilities` → `utilities-elicit`); anything
    // else two commands share lives in cli/ (io.ts, lookups.ts, …).
    const crossings = files.filter((f) => /^cli\/(commands|tui)\//.test(rel(f))).flatMap((f) => {
      const text = read(f);
      return [...text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g)]
        .filter(([, , spec]) => spec!.startsWith('.') && rel(join(f, '..', spec!)).startsWith('cli/commands/'))
        .filter(([, names]) => !(rel(f).startsWith('cli/commands/') && names!.split(',').every((n) => /^\s*register[A-Z]\w*\s*$/.test(n))))
        .map(([, , spec]) => `${rel(f)} imports ${spec}`);
    });
    expect(crossings).toEqual([]);
  });
});

/** The modules `node cli/main.ts` loads before any command runs: its static imports, followed through the sources. */
function startupGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = read(file);
    // Value imports and re-exports; `import type` is erased (an inline `{ type X }` import is not: it still loads the module).
    const specs = [...text.matchAll(/^(?:import(?!\s+type\s)|export(?!\s+type\s))[^;]*?\sfrom\s+'([^']+)'/gm)].map((m) => m[1]!);
    for (const spec of specs) {
      if (!spec.startsWith('.')) {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
        continue;
      }
      const base = join(file, '..', spec).replace(/\.js$/, '');
      const target = [`${base}.ts`, `${base}.tsx`].find((p) => files.has(p) || (() => { try { return statSync(p).isFile(); } catch { return false; } })());
      if (target) visit(target);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('CLI start-up', () => {
  it('loads no model SDK, report library, terminal-app library, or the analysis and model layers before a command needs them', () => {
    const { files, packages } = startupGraph(join(ROOT, 'cli', 'main.ts'));
    const heavy = ['langchain', '@langchain/core', '@langchain/openai', '@langchain/anthropic', '@langchain/google-genai', '@langchain/ollama', 'openai',
      '@observablehq/plot', 'linkedom', 'ink', 'react', '@stdlib/stats-base-dists-normal-quantile'];
    expect([...packages].filter((p) => heavy.includes(p))).toEqual([]);
    const layers = [...files].map(rel).filter((f) => f.startsWith('agents/') || f.startsWith('analysis/') || f.startsWith('lab/') || f.startsWith('cli/tui/') && f !== 'cli/tui/load.ts');
    // Small leaves are read directly: counted runs (runs --experiment), number formatting, the elicitation defaults (help
    // text), and the remote providers' declarations (the environment variables the CLI reads once at
    // start; they import nothing but types, and their SDKs load only when a model is called).
    expect(layers.sort()).toEqual([
      'agents/models/providers/anthropic.ts', 'agents/models/providers/google-genai.ts', 'agents/models/providers/ollama.ts',
      'agents/models/providers/openai.ts', 'agents/models/providers/remote-providers.ts',
      'analysis/experiment/counted-runs.ts', 'analysis/stats/format-number.ts', 'lab/elicit-settings.ts',
    ]);
    // It does reach every command's registration, so their help is there.
    expect([...files].map(rel).filter((f) => f.startsWith('cli/commands/')).length).toBeGreaterThan(15);
  });
});
