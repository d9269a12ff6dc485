import t from 'tap';
import { compileGlob, compileHostGlob, globProblem } from './glob.js';

t.test('globs on canonical references and hosts', async (t) => {
  const cases: [string, string, boolean][] = [
    ['registry.k8s.io/pause:*', 'registry.k8s.io/pause:3.10', true],
    ['registry.k8s.io/pause:*', 'registry.k8s.io/pause/x:3.10', false],
    ['registry.k8s.io/*', 'registry.k8s.io/pause:3.10', true],
    ['registry.k8s.io/*', 'registry.k8s.io/sig/pause:3.10', false],
    ['registry.k8s.io/**', 'registry.k8s.io/sig/pause:3.10', true],
    ['docker.io/library/nginx:1.2?', 'docker.io/library/nginx:1.29', true],
    ['docker.io/library/nginx:1.2?', 'docker.io/library/nginx:1.2', false],
    ['*.dkr.ecr.*.amazonaws.com', '123.dkr.ecr.eu-west-1.amazonaws.com', true],
    ['*.dkr.ecr.*.amazonaws.com', 'dkr.ecr.eu-west-1.amazonaws.com', false],
    ['*-docker.pkg.dev', 'europe-docker.pkg.dev', true],
    ['gcr.io', 'eu.gcr.io', false],
    ['a.b', 'aXb', false], // "." is literal
    ['x[1]', 'x[1]', true], // so are brackets
    ['ghcr.io/acme/(api)+', 'ghcr.io/acme/(api)+', true],
  ];
  for (const [glob, text, expected] of cases) t.equal(compileGlob(glob)(text), expected, `${glob} ~ ${text}`);
});

t.test('unusable globs', async (t) => {
  for (const bad of ['', ' a', 'a ', 'a***', 'a b', 'a\tb', 'a\u0001']) t.ok(globProblem(bad), JSON.stringify(bad));
  for (const good of ['*', '**', 'registry.k8s.io/pause:*', '[::1]:5000/*'])
    t.equal(globProblem(good), undefined, good);
});

t.test('host globs: * and ? stay within one DNS label', async (t) => {
  const cases: [string, string, boolean][] = [
    ['*.example.com', 'a.example.com', true],
    ['*.example.com', 'a.b.example.com', false],
    ['*.example.com', 'evil.com.example.com', false],
    ['*.example.com', '.example.com', true], // an empty label never parses as a host, so no harm
    ['*.dkr.ecr.*.amazonaws.com', '123.dkr.ecr.eu-west-1.amazonaws.com', true],
    ['*.dkr.ecr.*.amazonaws.com', '123.dkr.ecr.evil.example.amazonaws.com', false],
    ['*.dkr.ecr.*.amazonaws.com', 'x.y.dkr.ecr.eu-west-1.amazonaws.com', false],
    ['*-docker.pkg.dev', 'europe-docker.pkg.dev', true],
    ['*-docker.pkg.dev', 'evil.europe-docker.pkg.dev', false],
    ['*.azurecr.io', 'a.b.azurecr.io', false],
    ['registry*', 'registry:5000', false], // the port is not part of the label
    ['127.0.0.1:*', '127.0.0.1:5000', true],
    ['127.0.0.?:5000', '127.0.0.1:5000', true],
    ['127.0.0.?:5000', '127.0.0..:5000', false],
    ['**.example.com', 'a.b.example.com', true], // ** is the explicit way across labels
    ['[::1]:*', '[::1]:5000', true],
  ];
  for (const [glob, text, expected] of cases) t.equal(compileHostGlob(glob)(text), expected, `${glob} ~ ${text}`);
  t.equal(compileGlob('registry.k8s.io/*')('registry.k8s.io/a.b:1'), true, 'image globs keep crossing dots');
});
