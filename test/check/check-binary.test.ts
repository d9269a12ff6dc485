/**
 * Exit codes of the built binary, as a CI job sees them: 0 allowed (warnings included), 1 denied, 2 usage or input
 * error with a message naming the file. Needs `npm run build` (npm test runs it first).
 */
import t from 'tap';
import { FIXTURES } from './fake-io.js';
import { runPullguard } from './run-binary.js';
import { parseRecords } from './record-schema.js';

const run = (args: string[], stdin?: string) =>
  runPullguard(['check', ...args], { cwd: FIXTURES, ...(stdin === undefined ? {} : { stdin }) });

t.test('exit codes of pullguard check', async (t) => {
  const cases: Array<{ name: string; args: string[]; stdin?: string; code: number; stdout?: RegExp; stderr?: RegExp }> =
    [
      {
        name: 'allowed file',
        args: ['-f', 'good.yaml', '--offline'],
        code: 0,
        stdout: /1 object, 2 images: 0 denied, 0 warnings/,
      },
      {
        name: 'warnings are allowed',
        args: ['-f', '-', '--offline'],
        stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n',
        code: 0,
        stdout: /1 warning/,
      },
      {
        name: 'denied in a subfolder',
        args: ['-f', 'tree', '--offline'],
        code: 1,
        stdout: /DENY {2}Job batch\/nightly/,
      },
      {
        name: 'missing file',
        args: ['-f', 'missing.yaml'],
        code: 2,
        stdout: /^0 objects, 0 images: 0 denied, 0 warnings; 1 input error\n$/,
        stderr: /^pullguard: missing\.yaml: no such file or directory\n$/,
      },
      {
        name: 'broken YAML',
        args: ['-f', 'broken.yaml', '--offline'],
        code: 2,
        stdout: /OK {4}Pod default\/ok .*\n1 object, 1 image: 0 denied, 0 warnings; 1 input error/s,
        stderr: /^pullguard: broken\.yaml:16:1: /,
      },
      {
        name: 'unknown flag',
        args: ['-f', 'good.yaml', '--frobnicate'],
        code: 2,
        stderr: /Unknown option '--frobnicate'/,
      },
      { name: 'no -f', args: [], code: 2, stderr: /name the manifests with -f/ },
    ];
  for (const c of cases) {
    const result = await run(c.args, c.stdin);
    t.equal(result.code, c.code, `${c.name}: exit ${c.code}`);
    if (c.stdout) t.match(result.stdout, c.stdout, `${c.name}: stdout`);
    if (c.stderr) t.match(result.stderr, c.stderr, `${c.name}: stderr`);
    // A usage error stops before any input; an input error is counted and the other inputs are still checked.
    if (c.code === 2 && !c.stdout) t.equal(result.stdout, '', `${c.name}: nothing on stdout`);
  }
});

t.test('-o json from the binary is one array of records, also for piped input', async (t) => {
  const result = await run(
    ['-f', 'tree', '-f', '-', '--offline', '-o', 'json'],
    'apiVersion: v1\nkind: Pod\nmetadata: {name: piped}\nspec: {containers: [{name: c, image: "nginx:1.25"}]}\n',
  );
  t.equal(result.code, 1);
  t.equal(result.stderr, '');
  const records = parseRecords(t, result.stdout);
  t.same(
    records.map((r) => r.object.name),
    ['api', 'nightly', 'one', 'two', 'piped'],
  );
});
