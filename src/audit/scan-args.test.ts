import t from 'tap';
import { UsageError } from '../errors/usage-error.js';
import { parseScanArgs, SCAN_USAGE, scanExitCode } from './scan-args.js';

const usageProblem = (argv: string[]): string => {
  try {
    parseScanArgs(argv);
    return 'parsed';
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return error.message;
  }
};

t.test('no flags: the context namespace, text output', async (t) => {
  t.same(parseScanArgs([]), { help: false, allNamespaces: false, output: 'text' });
});

t.test('every flag, long and short', async (t) => {
  t.same(
    parseScanArgs([
      '-n',
      'shop',
      '-l',
      'app=web,env in (prod,stage),!legacy',
      '--kubeconfig',
      '/home/me/.kube/prod',
      '--context',
      'prod',
      '--config',
      '/etc/pullguard/config.yaml',
      '-o',
      'json',
    ]),
    {
      help: false,
      allNamespaces: false,
      output: 'json',
      namespace: 'shop',
      selector: {
        text: 'app=web,env in (prod,stage),!legacy',
        parsed: {
          matchLabels: { app: 'web' },
          matchExpressions: [
            { key: 'env', operator: 'In', values: ['prod', 'stage'] },
            { key: 'legacy', operator: 'DoesNotExist' },
          ],
        },
      },
      kubeconfigPath: '/home/me/.kube/prod',
      context: 'prod',
      configPath: '/etc/pullguard/config.yaml',
    },
  );
  const long = parseScanArgs(['--namespace', 'shop', '--selector', 'tier!=cache', '--output', 'text']);
  t.equal(long.namespace, 'shop');
  t.same(long.selector?.parsed, { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['cache'] }] });
});

t.test('kubectl forms: -n=NS, -l=SEL, -o=json; -A drops -n', async (t) => {
  const eq = parseScanArgs(['-n=shop', '-l=app=web', '-o=json']);
  t.equal(eq.namespace, 'shop');
  t.equal(eq.selector?.text, 'app=web');
  t.equal(eq.output, 'json');
  const all = parseScanArgs(['-A', '-n', 'shop']);
  t.equal(all.allNamespaces, true);
  t.equal(all.namespace, undefined);
  t.equal(parseScanArgs(['-l', '  ']).selector, undefined, 'an empty selector selects everything');
});

t.test('help', async (t) => {
  t.same(parseScanArgs(['--help', '-o', 'yaml']), { help: true, allNamespaces: false, output: 'text' });
  t.match(SCAN_USAGE, /Exit codes: 0 every image is available, 1 something would fail to pull, 2 usage/);
});

t.test('usage errors name the problem and the help', async (t) => {
  t.match(usageProblem(['-o', 'yaml']), /allowed formats are: text,json; see pullguard scan --help$/);
  t.match(usageProblem(['-n', 'Shop']), /"Shop" is not a valid namespace name/);
  t.match(usageProblem(['-n', 'a'.repeat(64)]), /not a valid namespace name/);
  t.match(usageProblem(['deploy/web']), /scan takes no names \(got "deploy\/web"\)/);
  t.match(usageProblem(['-l', 'app=web,']), /^scan: invalid selector "app=web,": a comma must be followed/);
  t.match(usageProblem(['--kubeconfig', '']), /--kubeconfig needs a value/);
  t.match(usageProblem(['--context=']), /--context needs a value/);
  t.match(usageProblem(['--watch']), /^scan: Unknown option '--watch'/);
  t.match(usageProblem(['-n']), /argument missing/);
  t.equal(usageProblem(['-A', '-n', 'Not_Valid']), 'parsed', 'a namespace dropped by -A is not checked');
});

t.test('the program name in the hint', async (t) => {
  try {
    parseScanArgs(['-o', 'wide'], 'kubectl pullguard');
    t.fail('a usage error');
  } catch (error) {
    t.match((error as Error).message, /see kubectl pullguard scan --help$/);
    t.equal((error as UsageError).code, 'PG_USAGE');
  }
});

t.test('exit codes as check: 0 when every image is available, 1 otherwise', async (t) => {
  t.equal(scanExitCode({ available: 3, unavailable: 0, error: 0, skipped: 0, pending: 0 }), 0);
  t.equal(scanExitCode({ available: 0, unavailable: 0, error: 0, skipped: 0, pending: 0 }), 0, 'nothing to check');
  t.equal(scanExitCode({ available: 3, unavailable: 1, error: 0, skipped: 0, pending: 0 }), 1);
  t.equal(scanExitCode({ available: 3, unavailable: 0, error: 1, skipped: 0, pending: 0 }), 1);
  t.equal(scanExitCode({ available: 3, unavailable: 0, error: 0, skipped: 0, pending: 1 }), 1);
  t.equal(
    scanExitCode({ available: 1, unavailable: 0, error: 0, skipped: 2, pending: 0 }),
    0,
    'skipped is not a failure',
  );
});
