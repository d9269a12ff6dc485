/**
 * Every entry of test/fixtures/diagnose/runtime-errors.json (real containerd, CRI-O, cri-dockerd and kubelet error
 * texts, each with where it comes from; the fixture's README says how they were collected) classified as the entry
 * expects, and mapped onto the finding class it names.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { FINDING_CLASSES } from './finding-class.js';
import {
  classifyRuntimeMessage,
  findingClassOfRuntimeError,
  type MessageWriter,
  type RuntimeFailureKind,
} from './runtime-message.js';

interface Entry {
  readonly id: string;
  readonly runtime: string;
  readonly family: string;
  readonly kind: RuntimeFailureKind;
  readonly findingClass: string | null;
  readonly nodeSide: boolean;
  readonly writer: MessageWriter;
  readonly credentialsRejected?: boolean;
  readonly text: string;
  readonly source: { readonly type: 'reported' | 'assembled'; readonly url: string; readonly note?: string };
}

const FIXTURE = new URL('../../test/fixtures/diagnose/runtime-errors.json', import.meta.url);
const { entries } = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { entries: Entry[] };

const KINDS: readonly RuntimeFailureKind[] = [
  'notFound',
  'unauthorized',
  'invalidReference',
  'platformMismatch',
  'dnsFailure',
  'connectionRefused',
  'ioTimeout',
  'unknownAuthority',
  'rateLimited',
  'pullPolicyNever',
  'blockedRegistry',
  'ambiguousShortName',
  'diskFull',
];

t.test('every fixture entry is classified as it expects', async (t) => {
  t.ok(entries.length >= 40, `${entries.length} entries`);
  for (const e of entries) {
    const got = classifyRuntimeMessage(e.text);
    t.equal(got.kind, e.kind, `${e.id}: kind`);
    t.equal(got.writer, e.writer, `${e.id}: writer`);
    t.equal(got.nodeSide, e.nodeSide, `${e.id}: node side`);
    t.equal(got.credentialsRejected, e.credentialsRejected ?? false, `${e.id}: credentials rejected`);
    t.equal(got.truncated, false, `${e.id}: read whole`);
    t.equal(findingClassOfRuntimeError(got.kind) ?? null, e.findingClass, `${e.id}: finding class`);
  }
});

t.test('the fixture covers every kind, every runtime, and says where each text comes from', async (t) => {
  t.same(
    KINDS.filter((kind) => !entries.some((e) => e.kind === kind)),
    [],
    'an entry for every kind of runtime error',
  );
  for (const runtime of ['containerd 1.7', 'containerd 2.x', 'CRI-O', 'cri-dockerd', 'kubelet'])
    t.ok(
      entries.some((e) => e.runtime === runtime),
      `an entry written by ${runtime}`,
    );
  for (const writer of ['containerd', 'cri-o', 'cri-dockerd'] as const) {
    const families = new Set(entries.filter((e) => e.writer === writer).map((e) => e.kind));
    t.ok(families.size >= 8, `${writer}: ${families.size} kinds of error`);
  }
  t.same(new Set(entries.map((e) => e.id)).size, entries.length, 'ids are unique');
  for (const e of entries) {
    t.ok(e.source.url.startsWith('https://'), `${e.id}: a source URL`);
    t.ok(e.source.type === 'reported' || (e.source.note ?? '').length > 0, `${e.id}: an assembled text says how`);
  }
  t.ok(entries.filter((e) => e.source.type === 'reported').length >= 25, 'most texts are reported ones');
});

t.test('each kind maps onto one finding class; a full disk and an unknown text onto none', async (t) => {
  for (const kind of KINDS.filter((k) => k !== 'diskFull')) {
    const found = findingClassOfRuntimeError(kind);
    t.ok(found !== undefined && FINDING_CLASSES.includes(found), `${kind} → ${String(found)}`);
  }
  t.equal(findingClassOfRuntimeError('diskFull'), undefined);
  t.equal(findingClassOfRuntimeError('unknown'), undefined);
  t.equal(findingClassOfRuntimeError('dnsFailure'), 'unreachable');
  t.equal(findingClassOfRuntimeError('ioTimeout'), 'timeout');
  t.equal(findingClassOfRuntimeError('unknownAuthority'), 'unreachable');
});

t.test('the node-side kinds are labelled by the text, whatever the runtime', async (t) => {
  const nodeSide = entries.filter((e) => classifyRuntimeMessage(e.text).nodeSide);
  t.same([...new Set(nodeSide.map((e) => e.kind))].sort(), ['diskFull', 'dnsFailure']);
  t.ok(
    nodeSide.every((e) => e.kind !== 'diskFull' || findingClassOfRuntimeError(e.kind) === undefined),
    'a full disk has no finding class: the engine cannot see it',
  );
});

t.test('docs/diagnose-runtime-errors.md shows every text of the fixture, with its source', async (t) => {
  const doc = readFileSync(new URL('../../docs/diagnose-runtime-errors.md', import.meta.url), 'utf8');
  const lines = new Set(doc.split('\n').map((line) => line.trim()));
  for (const e of entries) {
    const shown = e.text
      .trimEnd()
      .split('\n')
      .every((line) => lines.has(line.trim()));
    t.ok(shown, `${e.id}: its text`);
    t.ok(doc.includes(e.source.url), `${e.id}: its source`);
  }
});
