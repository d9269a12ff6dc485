/**
 * The layers, as a table (docs/design.md §10.2): which internal folder of src/ may import which. From the
 * AdmissionReview to the verdict the data goes down the layers and comes back up only through return values, so
 * every edge points toward the more basic folders, and an import the table does not list fails here the day it is
 * written. The registry client's subfolders are layers of their own: distribution → auth → transport, never back.
 * The table must stay a DAG (checked below), and no two files may import each other, even indirectly.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import t from 'tap';
import { codeOf, sourceFiles, SRC } from '../helpers/source-code.js';

interface Layer {
  /** The internal folders (or `main`) this one may import, besides itself. */
  readonly may: readonly string[];
  readonly why: string;
}

const LAYERS: Readonly<Record<string, Layer>> = {
  runtime: {
    may: [],
    why: 'generic helpers (deadlines, memo, glob, durations, JSON shape): know nothing of pullguard',
  },
  errors: {
    may: [],
    why: 'the error catalogue: every layer may throw its errors (each row lists it), so it imports none',
  },
  observability: { may: [], why: 'metrics registry and loggers: every layer that counts or logs uses them' },
  image: { may: ['runtime', 'errors'], why: 'the reference grammar: pure text rules' },
  'node-pull': {
    may: ['image'],
    why: "the node runtime's registry files (containerd hosts.toml, CRI-O registries.conf) and its pull order: pure",
  },
  admission: { may: ['runtime', 'errors'], why: 'AdmissionReview decode and response shapes: the wire format, pure' },
  workload: {
    may: ['runtime', 'errors'],
    why: 'kind → pod-spec table and image uses: reads objects, knows no registry',
  },
  platform: {
    may: ['workload', 'runtime', 'errors'],
    why: 'node platforms and pod constraints: reads the pod spec view',
  },
  credentials: {
    may: ['runtime', 'errors'],
    why: 'docker config and kubelet keyring matching, over a reader port (kube implements it)',
  },
  resolution: {
    may: ['credentials', 'image', 'platform', 'errors'],
    why: 'pure outcome types and the resolver interface: what resolving needs and returns',
  },
  policy: {
    may: ['resolution', 'credentials', 'platform', 'workload', 'image', 'node-pull', 'runtime', 'errors'],
    why: 'outcomes, credential problems and platforms → findings → verdict: pure rules over the layers below',
  },
  config: {
    may: ['policy', 'platform', 'runtime', 'errors'],
    why: 'the schema names policy classes and platforms; loadConfig and the per-host registries lookup are pure',
  },
  'registry/transport': {
    may: ['config', 'credentials', 'resolution', 'platform', 'observability', 'runtime', 'errors'],
    why: 'HTTP to a registry host: SSRF guard, connector, bodies, wire JSON, statuses → outcomes',
  },
  'registry/auth': {
    may: ['registry/transport', 'config', 'credentials', 'resolution', 'runtime', 'errors'],
    why: 'challenges and tokens, on top of the transport',
  },
  'registry/distribution': {
    may: ['registry/auth', 'registry/transport', 'credentials', 'resolution', 'platform', 'runtime', 'errors'],
    why: 'manifests, tags and indexes (the distribution API), on top of auth and transport',
  },
  resolver: {
    may: [
      'registry/distribution',
      'registry/auth',
      'registry/transport',
      'resolution',
      'config',
      'credentials',
      'image',
      'observability',
      'runtime',
      'errors',
    ],
    why: 'composes the registry client into the resolution interface, with the result cache',
  },
  review: {
    may: [
      'policy',
      'resolution',
      'config',
      'credentials',
      'platform',
      'workload',
      'image',
      'node-pull',
      'admission',
      'observability',
      'runtime',
      'errors',
    ],
    why: 'the use case: talks to the registry only through the resolver interface (a port)',
  },
  diagnose: {
    may: ['policy', 'platform', 'credentials', 'runtime', 'errors'],
    why: "`pullguard diagnose`'s rules: what a failing pod, its events and its workload say, the node's error and pullguard's finding reconciled, the fix as commands; pure",
  },
  audit: {
    may: ['workload', 'image', 'policy', 'diagnose', 'runtime', 'errors'],
    why: "the audit's pure core: listed workloads → distinct checks, their spread over the interval, results → events and gauge series; `pullguard scan`'s command line (kubectl's label selector, as diagnose reads one); pure",
  },
  kube: {
    may: ['credentials', 'platform', 'policy', 'diagnose', 'audit', 'workload', 'runtime', 'errors'],
    why: "the Kubernetes adapter implements the readers credentials, platform and diagnose ask for (diagnose's cluster port, its list caps), and lists and watches the workload kinds the audit reads",
  },
  certs: { may: ['runtime', 'errors'], why: 'certificate generation: used by the server and the CLI' },
  server: {
    may: ['review', 'admission', 'workload', 'certs', 'config', 'observability', 'runtime', 'errors'],
    why: 'the HTTPS adapter: decodes at the edge, calls the review, renders the answer',
  },
  check: {
    may: ['review', 'policy', 'resolution', 'platform', 'workload', 'config', 'runtime', 'errors'],
    why: '`pullguard check`: manifests in, reviews, records out',
  },
  cli: {
    may: [
      'server',
      'check',
      'certs',
      'kube',
      'review',
      'resolver',
      'config',
      'credentials',
      'platform',
      'node-pull',
      'image',
      'policy',
      'diagnose',
      'audit',
      'workload',
      'observability',
      'runtime',
      'errors',
    ],
    why: 'the commands compose the engine: the only place adapters meet the use case',
  },
  main: { may: ['cli', 'errors', 'runtime'], why: 'the composition root: argv, env and exit' },
  'kubectl-pullguard': { may: ['main'], why: 'the kubectl plugin entry: the same program under the name kubectl runs' },
};

/** The relative specifiers a file imports or re-exports, statically or with `import(…)`. */
function relativeImports(code: string): string[] {
  const specifiers = [
    ...code.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm),
    ...code.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] as string);
  return specifiers.filter((spec) => spec.startsWith('.'));
}

/** `review` for src/review/x.ts, `registry/auth` for src/registry/auth/x.ts, `main` for src/main.ts. */
function layerOf(path: string): string {
  const parts = relative(SRC, path).split(/[\\/]/);
  if (parts.length === 1) return (parts[0] as string).replace(/\.ts$/, '');
  return parts[0] === 'registry' ? `registry/${parts[1]}` : (parts[0] as string);
}

const files = sourceFiles(SRC);
const graph = new Map<string, string[]>(
  files.map((file) => [
    file,
    relativeImports(codeOf(file)).map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts'))),
  ]),
);
const name = (file: string) => `src/${relative(SRC, file).split(/[\\/]/).join('/')}`;

/** Every edge between layers that the table does not allow, as a message. */
function forbiddenEdges(
  edges: ReadonlyMap<string, readonly string[]>,
  layers: Readonly<Record<string, Layer>>,
): string[] {
  const problems: string[] = [];
  for (const [from, targets] of edges) {
    const a = layerOf(from);
    for (const target of targets) {
      const b = layerOf(target);
      if (a !== b && !(layers[a]?.may.includes(b) ?? false))
        problems.push(`${name(from)} imports ${name(target)}: ${a} → ${b} is not an allowed dependency`);
    }
  }
  return problems;
}

/** The first import cycle between files (as the file list around it), or undefined. */
function findCycle(edges: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'open') return [...stack.slice(stack.indexOf(file)), file];
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of edges.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

t.test('every relative import resolves to a source file, so no edge escapes the checks', async (t) => {
  const dangling = [...graph].flatMap(([from, targets]) =>
    targets.filter((target) => !existsSync(target)).map((target) => `${name(from)} → ${name(target)}`),
  );
  t.same(dangling, []);
});

t.test('every folder of src/ is a row of the table, and every row names known layers with a reason', async (t) => {
  const layers = new Set(files.map(layerOf));
  t.same([...layers].filter((layer) => !(layer in LAYERS)).sort(), [], 'no folder without a row');
  for (const [layer, row] of Object.entries(LAYERS)) {
    t.ok(row.why.length > 0, `${layer}: why`);
    t.same(
      row.may.filter((target) => !(target in LAYERS)),
      [],
      `${layer}: only known layers`,
    );
  }
});

t.test('the table itself has no cycle: the layers form a DAG', async (t) => {
  const table = new Map(Object.entries(LAYERS).map(([layer, row]) => [layer, row.may]));
  t.equal(findCycle(table)?.join(' → '), undefined);
});

t.test('every import between folders is one the table allows', async (t) => {
  t.same(forbiddenEdges(graph, LAYERS), []);
});

t.test('no import cycle between files', async (t) => {
  t.equal(findCycle(graph)?.map(name).join(' → '), undefined);
});

t.test('the checks catch what they are for', async (t) => {
  const at = (path: string) => join(SRC, path);
  const backEdge = new Map([[at('policy/decide.ts'), [at('review/ports.ts')]]]);
  t.same(forbiddenEdges(backEdge, LAYERS), [
    'src/policy/decide.ts imports src/review/ports.ts: policy → review is not an allowed dependency',
  ]);
  const upward = new Map([[at('registry/transport/x.ts'), [at('registry/distribution/y.ts')]]]);
  t.match(forbiddenEdges(upward, LAYERS), [
    /registry\/transport → registry\/distribution is not an allowed dependency/,
  ]);
  const loop = new Map([
    [at('a.ts'), [at('b.ts')]],
    [at('b.ts'), [at('c.ts')]],
    [at('c.ts'), [at('a.ts')]],
  ]);
  t.same(findCycle(loop)?.map(name), ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/a.ts']);
  t.same(
    relativeImports(
      "import type { A } from './a.js';\nexport { B } from '../b.js';\nimport './side.js';\nconst c = await import('./c.js');\nimport x from 'node:fs';",
    ),
    ['./a.js', '../b.js', './side.js', './c.js'],
  );
});
