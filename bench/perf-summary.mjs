/**
 * Where the CPU of one warm review goes, next to the bare fastify baseline, from Linux `perf` samples (kernel,
 * native and JavaScript frames; V8's own --cpu-prof cannot see the kernel side of a TLS write). Each sample is put
 * in the first category (in the order below) that one of its frames matches; both servers parse the same body, so
 * one `JSON.parse` of it is the unit that makes per-request costs comparable without counting requests.
 *
 *   BENCH_PERF_MAP=1 npm run bench:compare -- .        # prints the pids; while it runs:
 *   perf record -F 1999 -g -o pg.data -p <pullguard pid> -- sleep 20 & perf record -F 1999 -g -o bl.data -p <baseline pid> -- sleep 20
 *   perf script -F tid,ip,sym -i pg.data > pg.stacks; perf script -F tid,ip,sym -i bl.data > bl.stacks
 *   node bench/perf-summary.mjs pg.stacks bl.stacks
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const CATEGORIES = [
  ['garbage collection', ['CollectGarbage', 'Scavenge', 'MinorGCJob', 'MarkCompact', 'Sweeper']],
  ['JSON.parse of the body', ['JsonParser']],
  ['TLS write of the response (incl. loopback delivery)', ['TLSWrap::DoWrite']],
  ['log line (pino, sonic-boom)', ['pino/lib', 'sonic-boom', 'logReview']],
  ['metrics (prom-client)', ['prom-client']],
  ['review', ['review-object.js']],
  ['AdmissionReview decode (TypeBox)', ['decode-review', 'check_0', 'typebox']],
  ['answer rendering', ['answerFor', 'buildResponse', 'render-', 'audit-findings']],
  ['deadline and budget', ['linked-deadline', 'budget.js']],
  ['route handler and reply', ['webhook-app.js', 'baseline-server']],
  // The review's own code resumed from a microtask after an `await` has no review-object.js frame below it.
  ['review, resumed after an await', ['/dist/']],
  ['fastify', ['fastify/', 'find-my-way', 'toad-cache', 'secure-json-parse']],
  ['node http and streams (JS)', ['_http_', 'node:internal/streams', 'node:net', 'stream_base']],
  ['TLS read and HTTP parse (native)', ['TLSWrap::ClearOut', 'ossl_', 'llhttp', 'OnStreamRead']],
  ['idle (epoll)', ['epoll_pwait']],
];
const UNIT = 'JSON.parse of the body';
const IDLE = 'idle (epoll)';

function categoryOf(frames) {
  for (const [name, needles] of CATEGORIES) {
    if (frames.some((frame) => needles.some((needle) => frame.includes(needle)))) return name;
  }
  return 'other';
}

/** Samples per category; samples of threads other than the first one seen (the main thread) are kept apart. */
async function countSamples(file) {
  const counts = new Map();
  let mainTid;
  let tid;
  let frames = [];
  const settle = () => {
    if (tid === undefined) return;
    mainTid ??= tid;
    const key = `${tid === mainTid ? '' : 'other threads: '}${categoryOf(frames)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    tid = undefined;
  };
  for await (const line of createInterface({ input: createReadStream(file) })) {
    if (line.trim() === '') settle();
    // Frames are tab-indented; a sample's header (its tid) may be space-padded.
    else if (line.startsWith('\t')) frames.push(line.trim());
    else {
      settle();
      tid = line.trim().split(/\s+/)[0];
      frames = [];
    }
  }
  settle();
  return counts;
}

const [pullguardFile, baselineFile] = process.argv.slice(2);
if (!pullguardFile || !baselineFile) {
  process.stderr.write('usage: node bench/perf-summary.mjs <pullguard.stacks> <baseline.stacks>\n');
  process.exit(2);
}
const [pullguard, baseline] = await Promise.all([countSamples(pullguardFile), countSamples(baselineFile)]);
const perRequest = (counts, key) => (counts.get(key) ?? 0) / (counts.get(UNIT) || Number.NaN);
const keys = [...new Set([...pullguard.keys(), ...baseline.keys()])].filter((key) => !key.endsWith(IDLE));
keys.sort((a, b) => perRequest(pullguard, b) - perRequest(pullguard, a));
const total = { pullguard: 0, baseline: 0 };
process.stdout.write(
  `per request, in units of one ${UNIT}:\n${'pullguard'.padStart(10)}${'baseline'.padStart(10)}  category\n`,
);
for (const key of keys) {
  const [p, b] = [perRequest(pullguard, key), perRequest(baseline, key)];
  total.pullguard += p;
  total.baseline += b;
  process.stdout.write(`${p.toFixed(2).padStart(10)}${b.toFixed(2).padStart(10)}  ${key}\n`);
}
process.stdout.write(
  `${total.pullguard.toFixed(2).padStart(10)}${total.baseline.toFixed(2).padStart(10)}  total (CPU ratio ${(total.baseline / total.pullguard).toFixed(2)})\n`,
);
