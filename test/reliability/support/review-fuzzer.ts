/**
 * A seeded generator of malformed AdmissionReview bodies (docs/design.md §7.2 R3). Each case starts from a well-formed
 * review (Deployment, Pod, CronJob, Pod UPDATE, ephemeral containers) and applies one mutation family: wrong types at
 * any path, missing fields, huge strings, deep nesting, invalid UTF-8, truncation, duplicate keys, odd uids,
 * arrays for objects, unicode and control characters in images and names, 200 containers, flipped bytes.
 * Same seed, same cases: a failure is reproduced with PULLGUARD_FUZZ_SEED.
 */

/** mulberry32: small, fast, good enough to spread mutations; returns floats in [0, 1). */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzCase {
  /** The mutation family, for failure messages. */
  readonly family: string;
  readonly body: Buffer;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Random = () => number;
type Path = (string | number)[];

const int = (random: Random, below: number): number => Math.floor(random() * below);
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)] as T;

const ODD_TEXT = [
  '',
  ' ',
  'nginx\u0000',
  '\u001b[31mred\u001b[0m',
  'a\nb',
  'tab\there',
  '\u202egnp.exe',
  'ℕ𝕘𝕚𝕟𝕩',
  '🐳/whale:🐳',
  'e\u0301\u0301\u0301',
  '\u200b\u200d',
  '\ud800',
  'x'.repeat(300),
  '../../etc/passwd',
  'registry.example.com:99999/a:b',
  '[::1]:5000/a:b',
  'UPPER/Case:1',
  'a@sha256:' + 'z'.repeat(64),
  'localhost:5000/foo:bar',
  'docker.io/library/nginx:' + 't'.repeat(129),
  '\u007f\u0085\u009f',
  '%00%2e',
];
const ODD_VALUES: readonly Json[] = [null, 0, -1, 1.5, 1e308, true, false, '', 'x', [], {}, [1, 'a', null], { a: {} }];
const INVALID_UTF8 = [
  [0xff],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0x80],
  [0xe2, 0x82],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xfe, 0xfe],
];

function podSpec(images: readonly string[]): { [key: string]: Json } {
  return {
    serviceAccountName: 'default',
    imagePullSecrets: [{ name: 'regcred' }],
    nodeSelector: { 'kubernetes.io/arch': 'amd64' },
    initContainers: [{ name: 'init', image: images[0] ?? 'busybox:1.36' }],
    containers: images.map((image, i) => ({ name: `c${i}`, image, imagePullPolicy: 'IfNotPresent' })),
    volumes: [{ name: 'v', image: { reference: 'registry.example.com/data:1', pullPolicy: 'IfNotPresent' } }],
  };
}

function review(
  kind: { group: string; version: string; kind: string },
  object: Json,
  extra: { [key: string]: Json } = {},
): { [key: string]: Json } {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'fuzz',
      kind,
      resource: { group: kind.group, version: kind.version, resource: `${kind.kind.toLowerCase()}s` },
      name: 'web',
      namespace: 'shop',
      operation: 'CREATE',
      userInfo: { username: 'alice', groups: ['system:authenticated'] },
      object,
      oldObject: null,
      dryRun: false,
      ...extra,
    },
  };
}

function baseReview(random: Random): { [key: string]: Json } {
  const images = ['registry.example.com/team/app:1.0', 'nginx', 'ghcr.io/acme/api@sha256:' + 'a'.repeat(64)];
  const meta = { name: 'web', namespace: 'shop', labels: { app: 'web' } };
  switch (int(random, 5)) {
    case 0:
      return review(
        { group: 'apps', version: 'v1', kind: 'Deployment' },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: meta,
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: 'web' } },
            template: { metadata: { labels: { app: 'web' } }, spec: podSpec(images) },
          },
        },
      );
    case 1:
      return review(
        { group: '', version: 'v1', kind: 'Pod' },
        { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: podSpec(images) },
      );
    case 2:
      return review(
        { group: 'batch', version: 'v1', kind: 'CronJob' },
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: meta,
          spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: podSpec(images) } } } },
        },
      );
    case 3: {
      const old = { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: podSpec(['nginx:1.0']) };
      return review(
        { group: '', version: 'v1', kind: 'Pod' },
        { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: podSpec(images) },
        { operation: 'UPDATE', oldObject: old },
      );
    }
    default: {
      const spec = { ...podSpec(['nginx:1.0']), ephemeralContainers: [{ name: 'debugger', image: 'busybox' }] };
      return review(
        { group: '', version: 'v1', kind: 'Pod' },
        { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec },
        {
          subResource: 'ephemeralcontainers',
          operation: 'UPDATE',
          oldObject: { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: podSpec(['nginx:1.0']) },
        },
      );
    }
  }
}

/** Every path in the tree (objects and arrays), root excluded. */
function pathsOf(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (value === null || typeof value !== 'object') return out;
  for (const [key, child] of Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)) {
    const path = [...prefix, key];
    out.push(path);
    pathsOf(child, path, out);
  }
  return out;
}

function parentOf(root: Json, path: Path): { parent: { [key: string | number]: Json }; key: string | number } {
  let node = root as { [key: string | number]: Json };
  for (const key of path.slice(0, -1)) node = node[key] as { [key: string | number]: Json };
  return { parent: node, key: path[path.length - 1] as string | number };
}

function set(root: Json, path: Path, value: Json): void {
  const { parent, key } = parentOf(root, path);
  parent[key] = value;
}

function randomText(random: Random, length: number): string {
  const alphabets = [
    'abcdefghijklmnopqrstuvwxyz0123456789-._/:@',
    '\u0000\u0001\u001f\u007f\u0085\u2028\u2029"\\',
    'äöü中文🐳\u0301\u200b\ufeff',
  ];
  const alphabet = [...pick(random, alphabets)];
  if (length > 4096) return pick(random, alphabet).repeat(length); // 1 MB of random picks is slow; one repeated char is enough
  return Array.from({ length }, () => pick(random, alphabet)).join('');
}

function oddValue(random: Random): Json {
  if (random() < 0.05) return randomText(random, 1 + int(random, 1024 * 1024));
  return random() < 0.4 ? pick(random, ODD_TEXT) : (structuredClone(pick(random, ODD_VALUES)) as Json);
}

const PLACEHOLDER = '"__PULLGUARD_FUZZ_DEEP__"';

function deepText(random: Random): string {
  const depth = random() < 0.5 ? 10_000 : 1 + int(random, 2000);
  return random() < 0.5 ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

function imagePaths(doc: Json): Path[] {
  return pathsOf(doc).filter(
    (p) => p[p.length - 1] === 'image' || p[p.length - 1] === 'reference' || p[p.length - 1] === 'name',
  );
}

/** One generated case. */
export function generateCase(random: Random): FuzzCase {
  const doc: Json = baseReview(random);
  set(doc, ['request', 'uid'], `fuzz-${int(random, 1e12)}`);
  const families = [
    'wrong-type',
    'missing-field',
    'odd-uid',
    'array-for-object',
    'huge-string',
    'deep-nesting',
    'deep-unknown-field',
    'invalid-utf8',
    'truncated',
    'duplicate-keys',
    'odd-image-or-name',
    'many-containers',
    'byte-flip',
    'not-an-object',
    'combined',
  ] as const;
  const family = pick(random, families);
  const paths = () => pathsOf(doc);
  const applyValueMutation = (kind: string): void => {
    const all = paths();
    if (all.length === 0) return;
    const path = pick(random, all);
    if (kind === 'wrong-type') set(doc, path, oddValue(random));
    else if (kind === 'missing-field') {
      const { parent, key } = parentOf(doc, path);
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (kind === 'array-for-object') {
      const { parent, key } = parentOf(doc, path);
      const value = parent[key] as Json;
      parent[key] = Array.isArray(value) ? Object.fromEntries(value.map((v, i) => [String(i), v])) : [value];
    }
  };
  let text: string | undefined;
  switch (family) {
    case 'wrong-type':
    case 'missing-field':
    case 'array-for-object':
      applyValueMutation(family);
      break;
    case 'combined':
      for (let i = 0, n = 2 + int(random, 4); i < n; i++)
        applyValueMutation(pick(random, ['wrong-type', 'missing-field', 'array-for-object']));
      break;
    case 'odd-uid':
      set(
        doc,
        ['request', 'uid'],
        pick(random, [42, -0, 1e21, ['a'], { uid: 'x' }, null, true, '', 'x'.repeat(100_000), '\u0000uid', '🐳']),
      );
      break;
    case 'huge-string': {
      const strings = pathsOf(doc).filter((p) => typeof parentOf(doc, p).parent[parentOf(doc, p).key] === 'string');
      set(doc, pick(random, strings), randomText(random, 64 * 1024 + int(random, 1024 * 1024 - 64 * 1024)));
      break;
    }
    case 'deep-nesting':
      set(
        doc,
        pick(
          random,
          pathsOf(doc).filter((p) => p[1] === 'object' && p.length > 3),
        ),
        PLACEHOLDER.slice(1, -1),
      );
      text = JSON.stringify(doc).replace(PLACEHOLDER, deepText(random));
      break;
    case 'deep-unknown-field': {
      const objects = [['request'], ['request', 'object'], ['request', 'object', 'metadata'], []] as Path[];
      const at = pick(random, objects);
      set(doc, [...at, `x-unknown-${int(random, 100)}`], PLACEHOLDER.slice(1, -1));
      text = JSON.stringify(doc).replace(PLACEHOLDER, deepText(random));
      break;
    }
    case 'odd-image-or-name':
      for (const path of imagePaths(doc)) {
        const { parent, key } = parentOf(doc, path);
        if (typeof parent[key] === 'string' && random() < 0.5)
          parent[key] = random() < 0.5 ? pick(random, ODD_TEXT) : randomText(random, 1 + int(random, 200));
      }
      break;
    case 'many-containers': {
      const spec = pathsOf(doc).find((p) => p[p.length - 1] === 'containers');
      if (spec)
        set(
          doc,
          spec,
          Array.from({ length: 200 }, (_, i) => ({
            name: `c${i}`,
            image:
              random() < 0.2
                ? pick(random, ODD_TEXT)
                : `registry.example.com/img-${int(random, 50)}${random() < 0.5 ? '' : ':1'}`,
          })),
        );
      break;
    }
    case 'not-an-object':
      text = pick(random, [
        '[]',
        '"review"',
        '123',
        'null',
        'true',
        '',
        ' ',
        '{}',
        '{"request":null}',
        '{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview"}',
      ]);
      break;
    default:
      break;
  }
  let bytes = Buffer.from(text ?? JSON.stringify(doc), 'utf8');
  if (family === 'invalid-utf8') {
    const at = bytes.indexOf(random() < 0.7 ? '"image":"' : '"uid":"');
    const offset = at >= 0 ? at + (random() < 0.7 ? 9 : 7) : int(random, bytes.length);
    bytes = Buffer.concat([bytes.subarray(0, offset), Buffer.from(pick(random, INVALID_UTF8)), bytes.subarray(offset)]);
  } else if (family === 'truncated') {
    bytes = bytes.subarray(0, int(random, bytes.length));
  } else if (family === 'duplicate-keys') {
    const dup = pick(random, [
      '"uid":"dup-uid",',
      '"uid":7,',
      '"kind":{"group":"","version":"v1","kind":"Pod"},',
      '"operation":"DELETE",',
      '"object":null,',
      '"__proto__":{"polluted":true},',
      '"constructor":{"prototype":{}},',
    ]);
    const at = bytes.indexOf('"request":{') + 11;
    const key = random() < 0.5 ? at : bytes.length > 2 ? bytes.lastIndexOf('"request":{') + 11 : at;
    bytes =
      random() < 0.5
        ? Buffer.concat([bytes.subarray(0, key), Buffer.from(dup), bytes.subarray(key)])
        : Buffer.from(bytes.toString('utf8').replace(/"image":"/, `"image":"dup:1","image":"`));
  } else if (family === 'byte-flip') {
    for (let i = 0, n = 1 + int(random, 8); i < n; i++) bytes[int(random, bytes.length)] = int(random, 256);
  }
  return { family, body: bytes };
}
