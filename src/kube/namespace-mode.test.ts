import t from 'tap';
import type { ClusterReader, ReadResult } from '../credentials/cluster-port.js';
import { createCachedClusterReader } from './cached-cluster-reader.js';
import { namespaceModePort } from './namespace-mode.js';

type Labels = Readonly<Record<string, string>>;

/** Namespace reads answered from a script; everything else is unused here. */
function labelsReader(answer: (name: string) => ReadResult<Labels>): ClusterReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    getSecret: async () => ({ status: 'not-found' }),
    getServiceAccount: async () => ({ status: 'not-found' }),
    getNamespaceLabels: async (name) => {
      reads.push(name);
      return answer(name);
    },
  };
}

const signal = () => new AbortController().signal;
const script = (name: string): ReadResult<Labels> => {
  if (name === 'shop') return { status: 'found', value: { 'pullguard.io/mode': 'warn' } };
  if (name === 'sandbox') return { status: 'found', value: { 'pullguard.io/mode': 'off' } };
  if (name === 'plain') return { status: 'found', value: {} };
  if (name === 'slow') return { status: 'error', kind: 'timeout', detail: 'deadline reached' };
  if (name === 'locked') return { status: 'error', kind: 'forbidden', detail: 'HTTP 403' };
  return { status: 'not-found' };
};

t.test('read through the API: a mode, no label, or an error the review can tell from "no label"', async (t) => {
  const port = namespaceModePort(createCachedClusterReader(labelsReader(script)));
  t.equal(await port('shop', signal()), 'warn');
  t.equal(await port('sandbox', signal()), 'off');
  t.equal(await port('plain', signal()), undefined, 'no label');
  t.equal(await port('missing', signal()), undefined, 'no namespace');
  await t.rejects(port('slow', signal()), { name: 'TimeoutError' }, 'a timed-out read says so');
  await t.rejects(port('locked', signal()), { name: 'NamespaceModeUnreadable', reason: 'forbidden' });
});

t.test('known(): the cached answer without I/O, once a read has succeeded', async (t) => {
  const inner = labelsReader(script);
  const port = namespaceModePort(createCachedClusterReader(inner));
  t.equal(port.known?.('sandbox'), undefined, 'not read yet');
  await port('sandbox', signal());
  await port('missing', signal());
  await port('locked', signal()).catch(() => undefined);
  const reads = inner.reads.length;
  t.same(port.known?.('sandbox'), { mode: 'off' });
  t.same(port.known?.('missing'), { mode: undefined }, 'a namespace that does not exist has no label');
  t.equal(port.known?.('locked'), undefined, 'errors are not cached, so never known');
  t.equal(inner.reads.length, reads, 'known() never reads');
});

t.test('a local source (the watcher) is asked first', async (t) => {
  const inner = labelsReader(script);
  const port = namespaceModePort(createCachedClusterReader(inner), {
    known: (ns) => (ns === 'shop' ? { mode: 'enforce' } : undefined),
  });
  t.same(port.known?.('shop'), { mode: 'enforce' });
  t.equal(port.known?.('sandbox'), undefined, 'unknown to the watcher and not cached');
  t.same(inner.reads, []);
});

t.test('a reader without a cache never claims to know', async (t) => {
  const port = namespaceModePort(labelsReader(script));
  await port('shop', signal());
  t.equal(port.known?.('shop'), undefined);
});
