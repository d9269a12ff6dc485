/**
 * The Dockerfile (docs/design.md §8): multi-stage, Node 24, production dependencies only in the runtime, a non-root
 * numeric user, `node dist/main.js serve` as the entrypoint, and no certificate or key copied in; `.dockerignore` keeps
 * them out of the build context too.
 */
import { readFile } from 'node:fs/promises';
import t from 'tap';

interface Instruction {
  readonly op: string;
  readonly args: string;
}
interface Stage {
  readonly from: string;
  readonly name?: string;
  readonly instructions: Instruction[];
}

/** Dockerfile instructions, with comments dropped, continuation lines joined and ARG defaults substituted. */
function parseDockerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, op = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const expanded = rest.replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a?: string, b?: string) => args.get(a ?? b ?? '') ?? m);
    const upper = op.toUpperCase();
    if (upper === 'ARG' && stages.length === 0) {
      const [key = '', value = ''] = expanded.split('=');
      args.set(key, value);
    } else if (upper === 'FROM') {
      const [, image = '', name] = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(expanded) ?? [];
      stages.push({ from: image, ...(name ? { name } : {}), instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ op: upper, args: expanded });
    }
  }
  return stages;
}

const dockerfile = await readFile(new URL('../../Dockerfile', import.meta.url), 'utf8');
const stages = parseDockerfile(dockerfile);
const runtime = stages.at(-1);
const all = (stage: Stage | undefined, op: string) => (stage?.instructions ?? []).filter((i) => i.op === op);
const stageNamed = (name: string) => stages.find((s) => s.name === name);

t.test('multi-stage: compile, production dependencies, runtime', async (t) => {
  t.ok(stages.length >= 3, `${stages.length} stages`);
  const build = stageNamed('build');
  const deps = stageNamed('prod-deps');
  t.ok(build && deps, 'named build and prod-deps stages');
  t.ok(
    all(build, 'RUN').some((i) => /\bnpm ci\b/.test(i.args)),
    'build installs from the lockfile',
  );
  t.ok(
    all(build, 'RUN').some((i) => /\btsc\b/.test(i.args)),
    'build compiles TypeScript',
  );
  t.ok(
    all(deps, 'RUN').some((i) => /\bnpm ci\b.*--omit=dev/.test(i.args)),
    'prod-deps omits devDependencies',
  );
  const copies = all(runtime, 'COPY').map((i) => i.args);
  t.ok(
    copies.some((c) => /--from=prod-deps\s+\S*node_modules/.test(c)),
    'runtime takes node_modules from prod-deps',
  );
  t.ok(
    copies.some((c) => /--from=build\s+\S*dist/.test(c)),
    'runtime takes dist from build',
  );
  t.notOk(
    copies.some((c) => /--from=build\s+\S*node_modules/.test(c)),
    'never the dev node_modules',
  );
});

t.test('Node 24 base images, slim or distroless', async (t) => {
  for (const stage of stages) {
    t.match(
      stage.from,
      /^(node:24[-.\w]*slim|gcr\.io\/distroless\/nodejs24-[\w.-]+)(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/,
      stage.from,
    );
  }
  t.match(runtime?.from, /distroless\/nodejs24|node:24/);
});

t.test('the runtime runs as a non-root numeric user', async (t) => {
  const users = all(runtime, 'USER');
  t.ok(users.length > 0, 'USER is set');
  const last = users.at(-1)?.args ?? '';
  t.match(last, /^\d+(:\d+)?$/, 'numeric uid[:gid]');
  t.not(Number(last.split(':')[0]), 0, 'not root');
});

t.test('the entrypoint is `node dist/main.js serve`, exposing 8443 and 8080', async (t) => {
  const entrypoint = JSON.parse(all(runtime, 'ENTRYPOINT').at(-1)?.args ?? 'null') as string[];
  const cmd = JSON.parse(all(runtime, 'CMD').at(-1)?.args ?? '[]') as string[];
  t.ok(Array.isArray(entrypoint), 'exec form');
  t.match(entrypoint[0], /\/node$/);
  t.ok(entrypoint.includes('dist/main.js'));
  t.same([...entrypoint.slice(entrypoint.indexOf('dist/main.js') + 1), ...cmd], ['serve']);
  t.same(
    all(runtime, 'EXPOSE')
      .flatMap((i) => i.args.split(/\s+/))
      .sort(),
    ['8080', '8443'],
  );
});

t.test('no certificate, key or whole context is copied into any stage', async (t) => {
  for (const stage of stages) {
    for (const { op, args } of stage.instructions) {
      if (op === 'ADD') t.fail(`ADD in ${stage.name ?? stage.from}: use COPY`);
      if (op !== 'COPY') continue;
      t.notMatch(args, /certs|\.pem\b|\.key\b|\.crt\b|tls\./, `${stage.name ?? 'runtime'}: COPY ${args}`);
      t.notMatch(args, /^(--\S+\s+)*\.\s/, `${stage.name ?? 'runtime'}: no COPY of the whole context`);
    }
    for (const env of all(stage, 'ENV')) t.notMatch(env.args, /key|token|password|secret/i, 'no secrets in ENV');
  }
});

t.test('.dockerignore keeps certificates, keys and local state out of the build context', async (t) => {
  const patterns = (await readFile(new URL('../../.dockerignore', import.meta.url), 'utf8'))
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const required of ['certs/', '**/*.key', '**/*.pem', 'node_modules/', 'dist/', '.git/', 'test/']) {
    t.ok(patterns.includes(required), required);
  }
  t.notOk(
    patterns.some((p) => p.startsWith('!') && /cert|key|pem/.test(p)),
    'no exception re-includes keys',
  );
});

t.test('the parser reads what the assertions rely on', async (t) => {
  const parsed = parseDockerfile('ARG B=node:24-bookworm-slim\nFROM ${B} AS x\nRUN a \\\n  b\n# c\nUSER 1:1\n');
  t.same(parsed, [
    {
      from: 'node:24-bookworm-slim',
      name: 'x',
      instructions: [
        { op: 'RUN', args: 'a    b' },
        { op: 'USER', args: '1:1' },
      ],
    },
  ]);
});
