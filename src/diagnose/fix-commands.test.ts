import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Finding } from '../policy/finding.js';
import { classifyRuntimeMessage } from '../policy/runtime-message.js';
import type { ContainerFacts } from './container-facts.js';
import { fixCommands, withoutTagOrDigest } from './fix-commands.js';
import type { Reconciliation, ReconcileVerdict } from './reconcile.js';
import { containerFacts } from '../../test/diagnose/container-facts.js';

const c: ContainerFacts = containerFacts({ serviceAccount: 'builder' });

function finding(cls: Finding['class'], extra: Partial<Finding> = {}): Finding {
  return { class: cls, cause: `${cls}.`, short: cls, ...extra };
}

function rec(verdict: ReconcileVerdict, nodeMessage: string, f?: Finding): Reconciliation {
  return { verdict, reason: '', node: classifyRuntimeMessage(nodeMessage), ...(f ? { finding: f } : {}) };
}

const tmp = mkdtempSync(join(tmpdir(), 'pullguard-fix-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * Runs the commands in a real POSIX shell where `kubectl` only prints its arguments, after filling in the
 * placeholders as a user would: the arguments each kubectl call received, and no file may appear.
 */
function pasted(commands: readonly string[]): string[][] {
  const filled = commands.map((cmd) => cmd.replace('<user>', 'alice').replace('<password>', 's3cret'));
  // One printf per call, ending in a marker: the two sides of a pipe write whole records, in either order.
  const script = `kubectl() { printf '%s\\0' "$@" END >&2; }\n${filled.join('\n')}\n`;
  const run = spawnSync('sh', ['-c', script], { cwd: tmp, encoding: 'utf8', timeout: 10_000 });
  if (run.status !== 0) throw new Error(`the shell failed: ${run.stdout}`);
  if (readdirSync(tmp).length > 0) throw new Error('a pasted command created a file');
  return run.stderr
    .split('END\0')
    .slice(0, -1)
    .map((record) => record.split('\0').slice(0, -1));
}

function commandsOf(fix: ReturnType<typeof fixCommands>): string[] {
  return fix.steps.flatMap((s) => (s.command === undefined ? [] : [s.command]));
}

const NOT_FOUND =
  'Failed to pull image "nginx:1.99.9": failed to resolve image: docker.io/library/nginx:1.99.9: not found';
const DENIED = 'Failed to pull image "x": pull access denied, repository does not exist or may require authorization';

t.test('fixed since: delete the pod to retry at once', async (t) => {
  const fix = fixCommands(c, rec('fixed-since', NOT_FOUND));
  t.same(
    fix.steps.map((s) => s.command),
    ['kubectl delete pod web-7d9c-abcde -n shop'],
  );
  t.match(fix.steps[0]?.say, /controller creates a new pod/);
  t.match(fixCommands({ ...c, owner: undefined }, rec('fixed-since', NOT_FOUND)).steps[0]?.say, /recreate it/);
});

t.test('a missing tag: kubectl set image with the closest tag, on the owner or the pod', async (t) => {
  const f = finding('notFound', { suggestions: ['1.29.3', '1.29'] });
  t.same(commandsOf(fixCommands(c, rec('still-broken', NOT_FOUND, f))), [
    'kubectl set image deployment/web app=nginx:1.29.3 -n shop',
  ]);
  const cron = { ...c, owner: { kind: 'CronJob', name: 'nightly' } };
  t.same(commandsOf(fixCommands(cron, rec('still-broken', NOT_FOUND, f))), [
    'kubectl set image cronjob/nightly app=nginx:1.29.3 -n shop',
  ]);
  t.same(commandsOf(fixCommands({ ...c, owner: undefined }, rec('still-broken', NOT_FOUND, f))), [
    'kubectl set image pod/web-7d9c-abcde app=nginx:1.29.3 -n shop',
  ]);
  const job = fixCommands({ ...c, owner: { kind: 'Job', name: 'once' } }, rec('still-broken', NOT_FOUND, f));
  t.same(commandsOf(job), []);
  t.match(job.steps[0]?.say, /job once \(a Job's pod template cannot change: recreate the Job\)/);
  const rollout = fixCommands({ ...c, owner: { kind: 'Rollout', name: 'r' } }, rec('still-broken', NOT_FOUND, f));
  t.match(rollout.steps, [{ say: /change the image in the pod template of Rollout r/ }]);
  t.match(fixCommands(c, rec('still-broken', NOT_FOUND, finding('notFound'))).steps, [{ say: /no closest tag/ }]);
  const eph = fixCommands({ ...c, section: 'ephemeralContainers' }, rec('still-broken', NOT_FOUND, f));
  t.match(eph.steps, [{ say: /ephemeral container cannot be changed/ }]);
});

t.test('the image without its tag or digest keeps a registry port', async (t) => {
  t.equal(withoutTagOrDigest('registry.example:5000/team/app:1.2@sha256:abc'), 'registry.example:5000/team/app');
  t.equal(withoutTagOrDigest('registry.example:5000/team/app'), 'registry.example:5000/team/app');
  t.equal(withoutTagOrDigest('nginx'), 'nginx');
});

t.test('no access: create the pull secret and list it in the pod template', async (t) => {
  const fix = fixCommands(c, rec('still-broken', DENIED, finding('unauthorized')));
  const calls = pasted(commandsOf(fix));
  t.same(calls[0], [
    ...['create', 'secret', 'docker-registry', 'docker-io-pull', '--docker-server=docker.io'],
    ...['--docker-username=alice', '--docker-password=s3cret', '-n', 'shop'],
  ]);
  t.same(calls[1]?.slice(0, 5), ['patch', 'deployment', 'web', '-n', 'shop']);
  t.same(JSON.parse(calls[1]?.[6] ?? ''), {
    spec: { template: { spec: { imagePullSecrets: [{ name: 'docker-io-pull' }] } } },
  });
  t.same(fix.problems, []);
});

t.test('a bare pod: the secret goes on its service account, keeping the names there', async (t) => {
  const bare = { ...c, owner: undefined, serviceAccountPullSecrets: ['old'], registryHost: 'Registry.Example:5000' };
  const fix = fixCommands(bare, rec('still-broken', DENIED, finding('missingPullSecret')));
  const calls = pasted(commandsOf(fix));
  t.equal(calls[0]?.[3], 'registry-example-5000-pull');
  t.same(calls[1]?.slice(0, 5), ['patch', 'serviceaccount', 'builder', '-n', 'shop']);
  t.same(JSON.parse(calls[1]?.[6] ?? ''), {
    imagePullSecrets: [{ name: 'old' }, { name: 'registry-example-5000-pull' }],
  });
  t.match(fix.steps.at(-1), { say: /recreate pod web-7d9c-abcde/ });
  const unknown = fixCommands(
    { ...bare, serviceAccountPullSecrets: undefined },
    rec('still-broken', DENIED, finding('unauthorized')),
  );
  t.match(unknown.steps[1]?.say, /this replaces the list/);
});

t.test('a refused secret is replaced in place', async (t) => {
  const fix = fixCommands({ ...c, rejectedSecret: 'regcred' }, rec('still-broken', DENIED, finding('unauthorized')));
  t.equal(fix.steps.length, 1);
  t.match(fix.steps[0]?.command, /--dry-run=client -o yaml \| kubectl apply -f -$/);
  const calls = pasted(commandsOf(fix));
  t.equal(calls.length, 2);
  t.ok(calls.some((call) => call.join(' ') === 'apply -f -'));
  t.equal(calls.find((call) => call[0] === 'create')?.[3], 'regcred');
});

t.test('a platform mismatch: a nodeSelector for a platform the image offers', async (t) => {
  const arm = { ...c, nodePlatform: { os: 'linux', architecture: 'arm64' } };
  const offers = [
    { os: 'windows', architecture: 'amd64' },
    { os: 'linux', architecture: 'amd64' },
  ];
  const fix = fixCommands(
    { ...arm, imagePlatforms: offers },
    rec('still-broken', 'no match for platform in manifest', finding('platformMismatch')),
  );
  const [call] = pasted(commandsOf(fix));
  t.same(JSON.parse(call?.[6] ?? ''), {
    spec: { template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } } } },
  });
  t.match(fixCommands(arm, rec('still-broken', '', finding('platformMismatch'))).steps, [{ say: /build one/ }]);
  const bare = fixCommands(
    { ...arm, owner: undefined, imagePlatforms: offers },
    rec('still-broken', '', finding('platformMismatch')),
  );
  t.match(bare.steps, [{ say: /a Pod cannot change this in place; recreate pod web-7d9c-abcde/ }]);
});

t.test('pull policy: Never becomes IfNotPresent; Always too under a rate limit, with a secret', async (t) => {
  const never = fixCommands({ ...c, section: 'initContainers' }, rec('still-broken', '', finding('pullPolicyNever')));
  const [call] = pasted(commandsOf(never));
  t.same(JSON.parse(call?.[6] ?? ''), {
    spec: { template: { spec: { initContainers: [{ name: 'app', imagePullPolicy: 'IfNotPresent' }] } } },
  });
  const limited = fixCommands(
    { ...c, pullPolicy: 'Always' },
    rec('still-broken', 'toomanyrequests', finding('rateLimited')),
  );
  t.equal(commandsOf(limited).length, 3);
  t.match(limited.steps[0]?.say, /imagePullPolicy of container app to IfNotPresent/);
  t.equal(commandsOf(fixCommands(c, rec('still-broken', 'toomanyrequests', finding('rateLimited')))).length, 2);
});

t.test('a short name: the fully qualified name', async (t) => {
  const f = finding('ambiguousShortName', { canonical: 'docker.io/library/nginx:1.99.9' });
  t.same(commandsOf(fixCommands(c, rec('still-broken', '', f))), [
    'kubectl set image deployment/web app=docker.io/library/nginx:1.99.9 -n shop',
  ]);
  const fromNode = rec('disagree', 'short name mode is enforcing, but image name nginx:1.99.9 returns ambiguous list');
  t.same(commandsOf(fixCommands(c, fromNode)), [
    'kubectl set image deployment/web app=docker.io/library/nginx:1.99.9 -n shop',
  ]);
  t.match(fixCommands({ ...c, canonical: undefined }, fromNode).steps, [{ say: /in full/ }]);
});

t.test('node-side: no command for the disk or DNS; a pod secret for refused node credentials', async (t) => {
  t.same(fixCommands(c, rec('node-side', 'no space left on device')).steps, []);
  t.same(fixCommands(c, rec('node-side', 'dial tcp: lookup x: no such host')).steps, []);
  t.equal(commandsOf(fixCommands(c, rec('node-side', DENIED))).length, 2);
  t.same(fixCommands(c, rec('disagree', 'weird')).steps, []);
});

t.test('hostile names from the cluster reach kubectl as the same single arguments, and run nothing', async (t) => {
  const hostile: ContainerFacts = {
    ...c,
    namespace: 'shop$(touch pwned)',
    pod: "p'; touch pwned; echo '",
    owner: { kind: 'Deployment', name: 'web`touch pwned`' },
    container: 'a b',
    image: 'evil;touch pwned:1 > out',
    registryHost: 'reg|touch pwned',
    serviceAccount: 'sa && touch pwned',
  };
  const f = finding('notFound', { suggestions: ['1.2"; touch pwned'] });
  const calls = pasted([
    ...commandsOf(fixCommands(hostile, rec('still-broken', NOT_FOUND, f))),
    ...commandsOf(fixCommands(hostile, rec('fixed-since', NOT_FOUND))),
    ...commandsOf(fixCommands({ ...hostile, owner: undefined }, rec('still-broken', DENIED, finding('unauthorized')))),
  ]);
  t.same(calls[0], [
    'set',
    'image',
    'deployment/web`touch pwned`',
    'a b=evil;touch pwned:1.2"; touch pwned',
    '-n',
    'shop$(touch pwned)',
  ]);
  t.same(calls[1], ['delete', 'pod', "p'; touch pwned; echo '", '-n', 'shop$(touch pwned)']);
  t.same(calls[2]?.slice(3, 5), ['reg-touch-pwned-pull', '--docker-server=reg|touch pwned']);
  t.same(calls[3]?.slice(2, 3), ['sa && touch pwned']);
  t.equal(calls.length, 4);
});

t.test('a value no command can carry gives a problem and a step without a command', async (t) => {
  const fix = fixCommands({ ...c, pod: 'web\nkubectl delete ns prod' }, rec('fixed-since', NOT_FOUND));
  t.same(fix.problems, [
    {
      problem: 'unsafe-value',
      field: 'pod name',
      detail: 'no command printed: the pod name contains control characters',
    },
  ]);
  t.same(fix.steps, [{ say: 'no command printed: the pod name contains control characters' }]);
  const dash = fixCommands(
    { ...c, owner: { kind: 'Deployment', name: '--kubeconfig=/tmp/x' } },
    rec('still-broken', '', finding('pullPolicyNever')),
  );
  t.match(dash.problems, [{ field: 'deployment name', detail: /starts with "-"/ }]);
  const container = fixCommands(
    { ...c, container: '-x' },
    rec('still-broken', NOT_FOUND, finding('notFound', { suggestions: ['1'] })),
  );
  t.match(container.problems, [{ field: 'container name and image' }]);
});
