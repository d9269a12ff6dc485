import t from 'tap';
import { UsageError } from '../errors/usage-error.js';
import { DIAGNOSE_USAGE, MAX_TARGETS, parseDiagnoseArgs, targetKind } from './diagnose-args.js';

t.test('targets in kubectl forms: TYPE/NAME, a bare pod NAME, TYPE NAME…', async (t) => {
  t.same(parseDiagnoseArgs(['pod/web-7d4b9c-x2x']).targets, [{ kind: 'pod', name: 'web-7d4b9c-x2x' }]);
  t.same(parseDiagnoseArgs(['web-0']).targets, [{ kind: 'pod', name: 'web-0' }]);
  t.same(parseDiagnoseArgs(['deploy/web', 'sts/db', 'ds/agent', 'rs/web-7d4b9c', 'cj/nightly', 'jobs/once']).targets, [
    { kind: 'deployment', name: 'web' },
    { kind: 'statefulset', name: 'db' },
    { kind: 'daemonset', name: 'agent' },
    { kind: 'replicaset', name: 'web-7d4b9c' },
    { kind: 'cronjob', name: 'nightly' },
    { kind: 'job', name: 'once' },
  ]);
  t.same(parseDiagnoseArgs(['deployments', 'a', 'b.c']).targets, [
    { kind: 'deployment', name: 'a' },
    { kind: 'deployment', name: 'b.c' },
  ]);
  t.same(parseDiagnoseArgs(['po', 'x']).targets, [{ kind: 'pod', name: 'x' }]);
});

t.test('type words: short names, plurals, case and the API group kubectl accepts', async (t) => {
  t.equal(targetKind('Deployment'), 'deployment');
  t.equal(targetKind('deployment.apps'), 'deployment');
  t.equal(targetKind('cronjobs.batch'), 'cronjob');
  t.equal(targetKind('job.apps'), undefined, 'a job is not in apps');
  t.equal(targetKind('pod.core'), undefined);
  t.equal(targetKind('service'), undefined);
  t.equal(targetKind('constructor'), undefined, 'not a property of Object.prototype');
});

t.test('flags: namespace, all namespaces, kubeconfig, context, output, help', async (t) => {
  t.same(parseDiagnoseArgs(['-n', 'shop', 'pod/a', '--kubeconfig', '/k', '--context', 'prod', '-o', 'json']), {
    help: false,
    targets: [{ kind: 'pod', name: 'a' }],
    allNamespaces: false,
    output: 'json',
    namespace: 'shop',
    kubeconfigPath: '/k',
    context: 'prod',
  });
  t.same(parseDiagnoseArgs(['--namespace=shop', 'a']).namespace, 'shop');
  t.same(parseDiagnoseArgs(['-n=shop', '-o=json', 'a']), {
    help: false,
    targets: [{ kind: 'pod', name: 'a' }],
    allNamespaces: false,
    output: 'json',
    namespace: 'shop',
  });
  const all = parseDiagnoseArgs(['-A', '-n', 'ignored']);
  t.equal(all.allNamespaces, true);
  t.equal(all.namespace, undefined, '-A wins over -n, as in kubectl');
  t.same(parseDiagnoseArgs(['--all-namespaces']).targets, []);
  t.equal(parseDiagnoseArgs(['--help']).help, true);
  t.equal(parseDiagnoseArgs(['a']).output, 'text');
});

t.test('usage problems are UsageErrors (exit 2) with kubectl-like words and the help hint', async (t) => {
  const problem = (argv: string[], pattern: RegExp, program?: 'kubectl pullguard') =>
    t.throws(
      () => parseDiagnoseArgs(argv, program),
      { name: 'UsageError', code: 'PG_USAGE', message: pattern },
      argv.join(' '),
    );
  problem([], /^diagnose: name a pod .*see pullguard diagnose --help$/);
  problem([], /see kubectl pullguard diagnose --help$/, 'kubectl pullguard');
  problem(['svc/web'], /the resource type "svc" is not one diagnose reads/);
  problem(['deployment'], /name the deployment: deployment\/NAME or deployment NAME/);
  problem(['deploy', 'pod/a'], /no need to specify a resource type as a separate argument/);
  problem(['-A', 'pod/a'], /a resource cannot be retrieved by name across all namespaces/);
  problem(
    ['-o', 'yaml', 'a'],
    /unable to match a printer suitable for the output format "yaml", allowed formats are: text,json/,
  );
  problem(['-n', 'Shop', 'a'], /"Shop" is not a valid namespace name/);
  problem(['-n', 'n'.repeat(64), 'a'], /at most 63 characters/);
  t.equal(parseDiagnoseArgs(['-n', 'n'.repeat(63), 'a']).namespace, 'n'.repeat(63));
  problem(['pod/Web_1'], /"Web_1" is not a valid pod name/);
  problem(['pod/'], /the pod needs a name/);
  problem([`pod/${'a'.repeat(254)}`], /at most 253 characters/);
  problem(['--kubeconfig=', 'a'], /--kubeconfig needs a value/);
  problem(['--context', '', 'a'], /--context needs a value/);
  problem(['--request-timeout=5s', 'a'], /^diagnose: Unknown option '--request-timeout'/);
  problem(['-n'], /^diagnose: Option '-n, --namespace <value>' argument missing/);
  problem(
    Array.from({ length: MAX_TARGETS + 1 }, (_, i) => `p${i}`),
    new RegExp(`at most ${MAX_TARGETS} targets at once, got ${MAX_TARGETS + 1}`),
  );
  t.type(
    (() => {
      try {
        return parseDiagnoseArgs(['x/y']);
      } catch (error) {
        return error;
      }
    })(),
    UsageError,
  );
});

t.test('the help text names every flag, type and short name the parser accepts', async (t) => {
  for (const word of ['-n, --namespace', '-A, --all-namespaces', '--kubeconfig', '--context', '-o, --output'])
    t.match(DIAGNOSE_USAGE, word);
  for (const type of [
    'pod',
    'deployment',
    'statefulset',
    'daemonset',
    'replicaset',
    'job',
    'cronjob',
    'po',
    'deploy',
    'sts',
    'ds',
    'rs',
    'cj',
  ]) {
    t.match(DIAGNOSE_USAGE, new RegExp(`\\b${type}\\b`), type);
    t.not(targetKind(type), undefined, `${type} parses`);
  }
});
