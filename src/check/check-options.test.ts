import t from 'tap';
import { UsageError } from '../errors/usage-error.js';
import { parseCheckOptions } from './check-options.js';

t.test('flags', async (t) => {
  const cases: Array<[string[], Record<string, string>, object]> = [
    [['-f', 'a.yaml'], {}, { sources: ['a.yaml'], offline: false, output: 'text' }],
    [['-f', 'a', '--filename', 'b', '-f', '-'], {}, { sources: ['a', 'b', '-'] }],
    [['-f', 'a', '--offline', '-o', 'json'], {}, { offline: true, output: 'json' }],
    [['-f', 'a', '--output=json'], {}, { output: 'json' }],
    [['-f', 'a', '--config', 'c.yaml'], { PULLGUARD_CONFIG: 'env.yaml' }, { configPath: 'c.yaml' }],
    [['-f', 'a'], { PULLGUARD_CONFIG: 'env.yaml' }, { configPath: 'env.yaml' }],
    [['-f', 'a'], { PULLGUARD_CONFIG: '' }, {}],
    [['-f', 'a', '--kubeconfig', 'k'], {}, { kubeconfigPath: 'k' }],
    [
      ['-f', 'a', '--platform', 'linux/amd64, linux/arm64/v8', '--platform', 'windows/amd64'],
      {},
      {
        platforms: [
          { os: 'linux', architecture: 'amd64' },
          { os: 'linux', architecture: 'arm64', variant: 'v8' },
          { os: 'windows', architecture: 'amd64' },
        ],
      },
    ],
    [['--help'], {}, { help: true }],
  ];
  for (const [argv, env, expected] of cases) t.match(parseCheckOptions(argv, env), expected, argv.join(' '));
  t.notOk(
    'configPath' in parseCheckOptions(['-f', 'a'], { PULLGUARD_CONFIG: '' }),
    'an empty PULLGUARD_CONFIG means none',
  );
});

t.test('usage errors', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [[], /name the manifests with -f/],
    [['-f'], /argument missing/],
    [['-f', ''], /-f needs a file/],
    [['-f', 'a', '-x'], /Unknown option '-x'/],
    [['a.yaml'], /Unexpected argument 'a\.yaml'.*\(name manifests with -f\)/],
    [['-f', 'a', '-o', 'yaml'], /-o must be text or json/],
    [['-f', 'a', '--platform', 'amd64'], /--platform "amd64" is not os\/arch/],
    [['-f', 'a', '--platform', ','], /--platform needs at least one/],
    [['-f', '-', '-f', '-'], /read only once/],
    [['-f', 'a', '--offline=yes'], /does not take an argument/],
  ];
  for (const [argv, message] of cases) {
    t.throws(() => parseCheckOptions(argv, {}), UsageError, `${argv.join(' ')}: a UsageError`);
    t.throws(() => parseCheckOptions(argv, {}), { message }, `${argv.join(' ')}: says why`);
  }
});
