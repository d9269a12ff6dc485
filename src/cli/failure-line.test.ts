import t from 'tap';
import { PullguardError } from '../errors/pullguard-error.js';
import { failureLine } from './failure-line.js';

t.test('a catalogue error is its message, on one line', async (t) => {
  t.equal(
    failureLine(new PullguardError('PG_CONFIG_UNREADABLE', 'x.yaml: cannot read the config file (ENOENT)')),
    'x.yaml: cannot read the config file (ENOENT)',
  );
  t.equal(
    failureLine(new PullguardError('PG_KUBE_CONFIG_INVALID', 'kubeconfig k is not usable:\n  bad\n')),
    'kubeconfig k is not usable: bad',
  );
});

t.test('anything else is named as a bug, on one line, without its stack', async (t) => {
  const bug = new TypeError('cannot read properties of undefined\n(reading "x")');
  t.equal(
    failureLine(bug),
    'unexpected error: TypeError: cannot read properties of undefined (reading "x") (set PULLGUARD_DEBUG=1 for the stack trace)',
  );
  t.equal(failureLine('a string'), 'unexpected error: a string (set PULLGUARD_DEBUG=1 for the stack trace)');
  t.notMatch(failureLine(bug), /\n|at /);
});
