/**
 * The namespace's pullguard.io/mode label in a review: read from the start alongside the registry work, with the
 * whole deadline of its own; `off` skips; an unknown label softens denials, whatever the timing.
 */
import t from 'tap';
import { buildConfig, DEFAULT_CONFIG, type Config } from '../config/load-config.js';
import { canonicalReference } from '../image/reference.js';
import type { Resolution } from '../resolution/resolution.js';
import type { NamespaceMode } from '../policy/namespace-mode.js';
import type { PullCredentialsPort, NamespaceModePort } from './ports.js';
import { createReviewer, type ReviewOutcome } from './review-object.js';

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };
const deployment = (images: string[]) => ({
  metadata: { name: 'web' },
  spec: { template: { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } },
});
const NOT_FOUND: Resolution = { outcome: 'not-found', missing: 'tag' };
const FOUND: Resolution = { outcome: 'found', digest: 'sha256:x' };

/** A log of what happened in which order, shared by the doubles below. */
function harness(options: {
  mode: NamespaceModePort;
  resolve?: (signal: AbortSignal) => Promise<Resolution>;
  config?: Config;
}) {
  const events: string[] = [];
  const pullCredentials: PullCredentialsPort = async () => {
    events.push('credentials');
    return { credentialsFor: () => [], problems: [], uncertain: false };
  };
  const mode: NamespaceModePort = (namespace, signal) => {
    events.push(`mode ${namespace}`);
    return options.mode(namespace, signal);
  };
  if (options.mode.known) mode.known = options.mode.known;
  const reviewer = createReviewer({
    config: options.config ?? DEFAULT_CONFIG,
    pullCredentials,
    namespaceMode: mode,
    resolver: {
      resolve: async ({ reference, signal }) => {
        events.push(`resolve ${canonicalReference(reference)}`);
        const result = await (options.resolve ?? (async () => NOT_FOUND))(signal);
        events.push(signal.aborted ? 'resolve aborted' : 'resolved');
        return result;
      },
    },
  });
  const review = (images = ['example.com/app:1.0'], signal = AbortSignal.timeout(5000)) =>
    reviewer.review({ kind: DEPLOYMENT, operation: 'CREATE', namespace: 'shop', object: deployment(images), signal });
  return { events, review };
}

/** A port that answers `mode` after `ms`, and rejects like the real reader when the signal aborts first. */
function slowMode(mode: NamespaceMode | undefined, ms: number): NamespaceModePort {
  return (_namespace, signal) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(mode), ms);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(new DOMException('read aborted', 'TimeoutError'));
        },
        { once: true },
      );
    });
}

const hanging: NamespaceModePort = () => new Promise(() => {});
const verdict = (outcome: ReviewOutcome) => (outcome.status === 'reviewed' ? outcome.decision.verdict : outcome.status);
const classes = (outcome: ReviewOutcome) =>
  outcome.status === 'reviewed'
    ? outcome.decision.findings.map((f) => `${f.subject ?? f.canonical}:${f.class}:${f.verdict}`)
    : [];
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

t.test('a namespace known to be off is skipped before any credential or registry work', async (t) => {
  const mode: NamespaceModePort = async () => 'off';
  mode.known = () => ({ mode: 'off' });
  const h = harness({ mode });
  const outcome = await h.review();
  t.same(outcome, { status: 'skipped', reason: 'namespace shop has pullguard.io/mode=off' });
  t.same(h.events, [], 'no label read, no credentials, no registry');
});

t.test('off answered while the registry is being asked: skipped, and the registry work is aborted', async (t) => {
  const h = harness({
    mode: slowMode('off', 20),
    resolve: (signal) =>
      new Promise((resolve) => signal.addEventListener('abort', () => resolve(FOUND), { once: true })),
  });
  const started = Date.now();
  const outcome = await h.review(['example.com/app:1.0'], AbortSignal.timeout(4000));
  t.same(outcome, { status: 'skipped', reason: 'namespace shop has pullguard.io/mode=off' });
  t.ok(Date.now() - started < 2000, 'answered as soon as the label said off, not at the deadline');
  await delay(10);
  t.same(h.events, ['mode shop', 'credentials', 'resolve example.com/app:1.0', 'resolve aborted']);
});

t.test('off answered after the registry: still skipped, even when something would deny', async (t) => {
  const h = harness({ mode: slowMode('off', 60) });
  t.same(await h.review(['Invalid:Image', 'example.com/app:1.0']), {
    status: 'skipped',
    reason: 'namespace shop has pullguard.io/mode=off',
  });
});

t.test('the label read starts first, and registry work cannot use up its time', async (t) => {
  // The registry takes most of the budget; the label answers early. Read after the registry (the old order), the
  // label read would have had 50 ms left for a 150 ms read and fallen back to enforce.
  const slowRegistry = async () => {
    await delay(350);
    return NOT_FOUND;
  };
  const h = harness({ mode: slowMode('warn', 150), resolve: slowRegistry });
  const outcome = await h.review(['example.com/app:1.0'], AbortSignal.timeout(400));
  t.equal(h.events[0], 'mode shop', 'the label is asked before anything else');
  t.equal(verdict(outcome), 'warn', 'pullguard.io/mode=warn honoured');
  t.same(classes(outcome), ['example.com/app:1.0:notFound:warn']);
});

t.test("a slow label read is waited for: the verdict is the label's, not a fallback", async (t) => {
  for (const [label, expected] of [
    ['warn', 'warn'],
    ['enforce', 'deny'],
    [undefined, 'deny'],
  ] as const) {
    const h = harness({ mode: slowMode(label, 200) });
    t.equal(
      verdict(await h.review(['example.com/app:1.0'], AbortSignal.timeout(2000))),
      expected,
      `label ${label ?? '(none)'}`,
    );
  }
});

t.test('an unknown label softens denials, whether it failed at once, late, or timed out', async (t) => {
  const failsAtOnce: NamespaceModePort = async () => {
    throw new Error('API down');
  };
  const failsLate: NamespaceModePort = async () => {
    await delay(100);
    throw new Error('API down');
  };
  const throwsSynchronously = (() => {
    throw new Error('bug');
  }) as unknown as NamespaceModePort;
  const keepAlive = setTimeout(() => {}, 5000);
  t.teardown(() => clearTimeout(keepAlive));
  for (const [name, mode, signal, cls] of [
    ['fails at once', failsAtOnce, AbortSignal.timeout(3000), 'unreachable'],
    ['fails after the registry answered', failsLate, AbortSignal.timeout(3000), 'unreachable'],
    ['throws', throwsSynchronously, AbortSignal.timeout(3000), 'unreachable'],
    ['never answers', hanging, AbortSignal.timeout(200), 'timeout'],
  ] as const) {
    const h = harness({ mode });
    const started = Date.now();
    const outcome = await h.review(['example.com/app:1.0', 'example.com/latest'], signal);
    t.ok(Date.now() - started < 2000, `${name}: answered by the deadline`);
    t.equal(verdict(outcome), 'warn', `${name}: admitted`);
    t.same(
      classes(outcome),
      [
        `namespace shop:${cls}:warn`,
        'example.com/app:1.0:notFound:warn',
        'example.com/latest:latest:latestTag:warn',
        'example.com/latest:latest:notFound:warn',
      ],
      `${name}: the note first, then the softened denials`,
    );
    if (outcome.status === 'reviewed')
      t.match(
        outcome.decision.findings[0]?.short,
        /pullguard\.io\/mode label (timed out|failed); would-be denials admitted as warnings/,
      );
  }
});

t.test('an unknown label changes nothing when nothing would deny, or when mode is warn anyway', async (t) => {
  const failing: NamespaceModePort = async () => {
    throw new Error('API down');
  };
  const onlyWarnings = harness({ mode: failing, resolve: async () => FOUND });
  t.same(
    classes(await onlyWarnings.review(['example.com/app'])),
    ['example.com/app:latest:latestTag:warn'],
    'no note without a softened denial',
  );
  const warnMode = buildConfig({ mode: 'warn' });
  if (!warnMode.ok) throw new Error('config');
  const global = harness({ mode: failing, config: warnMode.config });
  t.same(classes(await global.review()), ['example.com/app:1.0:notFound:warn'], 'mode: warn already softens; no note');
});

t.test('nothing to report: the label is not waited for', async (t) => {
  const h = harness({ mode: hanging, resolve: async () => FOUND });
  const started = Date.now();
  const outcome = await h.review(['example.com/app:1.0'], AbortSignal.timeout(3000));
  t.equal(verdict(outcome), 'allow');
  t.ok(Date.now() - started < 1000, 'not held until the deadline');
});

t.test('a label known locally is used without a read', async (t) => {
  const mode: NamespaceModePort = hanging;
  const local: NamespaceModePort = (ns, signal) => mode(ns, signal);
  local.known = () => ({ mode: 'warn' });
  const h = harness({ mode: local });
  t.equal(verdict(await h.review()), 'warn');
  t.notOk(h.events.includes('mode shop'), 'no read through the port');
});
