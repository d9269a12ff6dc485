/**
 * P8, P9: `pullguard check --offline`, the built binary as CI runs it, against same-run baselines.
 *
 * - P8: a 10,000-document stream (three Deployments with three images each, then a Service, repeated; ~7.8 MB) read
 *   by `check --offline -o json` and by PyYAML's C loader (`yaml.load_all` with `CSafeLoader`, Debian `python3-yaml`),
 *   which only parses. The ratio is pullguard's time ÷ PyYAML's time: at most 0.5 (pullguard, reading and checking,
 *   takes at most half as long as PyYAML only reading). P8M: pullguard's peak RSS on that stream.
 * - P9: `check --offline` of one small file ÷ `node -e ''`, both started from scratch: at most 5.
 *
 * Each command runs a few times, alternating with its baseline; the medians are compared.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchEnv } from '../lib/environment.js';
import type { FigureRow } from '../lib/report.js';

const STREAM_DOCUMENTS = 10_000;
const P8_RUNS = 3;
const P9_RUNS = 10;
const P8_TARGET = 0.5;
const P8M_TARGET_MB = 300;
const P9_TARGET = 5;

const PYYAML = [
  'import sys, yaml',
  "with open(sys.argv[1], 'rb') as f:",
  '    n = sum(1 for _ in yaml.load_all(f, Loader=yaml.CSafeLoader))',
  "assert n == int(sys.argv[2]), f'{n} documents'",
].join('\n');

/** Writes the peak RSS (bytes) of the process to $BENCH_MAX_RSS_FILE when it exits. */
const MAX_RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(process.env.BENCH_MAX_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));",
)}`;

interface Timed {
  readonly ms: number;
  readonly code: number | null;
  readonly stderr: string;
}

export async function measureCheckStream(env: BenchEnv): Promise<FigureRow[]> {
  const stream = path.join(env.workDir, 'p8-stream.yaml');
  await writeFile(stream, benchStream(STREAM_DOCUMENTS));
  const rssFile = path.join(env.workDir, 'p8-max-rss');
  const main = path.join(env.settings.repoRoot, 'dist', 'main.js');
  const node = nodeBinary(env);
  const pullguardMs: number[] = [];
  const pyyamlMs: number[] = [];
  const rssBytes: number[] = [];
  for (let i = 0; i < P8_RUNS; i++) {
    const run = await timed(node, ['--import', MAX_RSS_HOOK, main, 'check', '--offline', '-o', 'json', '-f', stream], {
      BENCH_MAX_RSS_FILE: rssFile,
    });
    if (run.code !== 0) throw new Error(`pullguard check exited ${run.code}: ${run.stderr.slice(0, 500)}`);
    pullguardMs.push(run.ms);
    rssBytes.push(Number(await readFile(rssFile, 'utf8')));
    const baseline = await timed('python3', ['-c', PYYAML, stream, String(STREAM_DOCUMENTS)]);
    if (baseline.code !== 0)
      throw new Error(`PyYAML baseline exited ${baseline.code} (apt-get install python3-yaml): ${baseline.stderr}`);
    pyyamlMs.push(baseline.ms);
  }
  const ours = median(pullguardMs);
  const theirs = median(pyyamlMs);
  const ratio = ours / theirs;
  const peakMb = Math.max(...rssBytes) / 1e6;
  return [
    {
      id: 'P8',
      figure: `check --offline -o json, ${STREAM_DOCUMENTS} documents (pullguard time / PyYAML time)`,
      value: `${(ours / 1000).toFixed(2)} s`,
      baseline: `${(theirs / 1000).toFixed(2)} s PyYAML CSafeLoader`,
      ratio,
      target: `<= ${P8_TARGET}`,
      pass: ratio <= P8_TARGET,
      notes: [
        `pullguard runs (ms): ${pullguardMs.map(Math.round).join(', ')}; PyYAML: ${pyyamlMs.map(Math.round).join(', ')}`,
      ],
    },
    {
      id: 'P8M',
      figure: `check --offline -o json, ${STREAM_DOCUMENTS} documents: peak RSS`,
      value: `${peakMb.toFixed(0)} MB`,
      baseline: '-',
      ratio: peakMb / P8M_TARGET_MB,
      target: `<= ${P8M_TARGET_MB} MB`,
      pass: peakMb <= P8M_TARGET_MB,
      notes: [`peak RSS per run (MB): ${rssBytes.map((b) => (b / 1e6).toFixed(0)).join(', ')}`],
    },
  ];
}

export async function measureCheckStartup(env: BenchEnv): Promise<FigureRow[]> {
  const small = path.join(env.workDir, 'p9-small.yaml');
  await writeFile(small, benchStream(1));
  const main = path.join(env.settings.repoRoot, 'dist', 'main.js');
  const node = nodeBinary(env);
  const checkMs: number[] = [];
  const nodeMs: number[] = [];
  for (let i = 0; i < P9_RUNS; i++) {
    const run = await timed(node, [main, 'check', '--offline', '-f', small]);
    if (run.code !== 0) throw new Error(`pullguard check exited ${run.code}: ${run.stderr.slice(0, 500)}`);
    checkMs.push(run.ms);
    nodeMs.push((await timed(node, ['-e', ''])).ms);
  }
  const ours = median(checkMs);
  const theirs = median(nodeMs);
  const ratio = ours / theirs;
  return [
    {
      id: 'P9',
      figure: "check --offline of one small file / node -e ''",
      value: `${ours.toFixed(0)} ms`,
      baseline: `${theirs.toFixed(0)} ms node -e ''`,
      ratio,
      target: `<= ${P9_TARGET}`,
      pass: ratio <= P9_TARGET,
      notes: [`check runs (ms): ${checkMs.map(Math.round).join(', ')}; node: ${nodeMs.map(Math.round).join(', ')}`],
    },
  ];
}

/** Node 24 from devDependencies (the system node may be older), as the tests run it. */
function nodeBinary(env: BenchEnv): string {
  return path.join(env.settings.repoRoot, 'node_modules', '.bin', 'node');
}

async function timed(command: string, args: readonly string[], extraEnv: Record<string, string> = {}): Promise<Timed> {
  const started = performance.now();
  const child = spawn(command, args, {
    env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home', ...extraEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve(exitCode));
  });
  return { ms: performance.now() - started, code, stderr };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** `count` documents: three Deployments (an init container, an app and a digest-pinned sidecar), then a Service. */
function benchStream(count: number): string {
  const documents: string[] = [];
  for (let i = 0; i < count; i++) documents.push(i % 4 === 3 ? service(i) : deployment(i));
  return documents.join('---\n');
}

function service(i: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
  namespace: ns-${i % 17}
  labels: {app: app-${i}, tier: web}
spec:
  selector: {app: app-${i}}
  ports:
    - {name: http, port: 80, targetPort: 8080}
`;
}

function deployment(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: ns-${i % 17}
  labels:
    app: app-${i}
    tier: web
  annotations:
    description: "deployment number ${i} of the bench stream"
spec:
  replicas: 3
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      initContainers:
        - name: migrate
          image: ghcr.io/acme/migrate:2.${i % 9}
          command: ["/bin/migrate", "--to", "latest"]
      containers:
        - name: app
          image: registry.example.com/team/app-${i % 50}:1.${i % 13}.0
          ports:
            - containerPort: 8080
          env:
            - {name: MODE, value: production}
            - {name: INDEX, value: "${i}"}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
        - name: sidecar
          image: docker.io/library/nginx:1.27@sha256:${'ab'.repeat(32)}
`;
}
