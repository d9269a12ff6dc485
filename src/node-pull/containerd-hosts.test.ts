import t from 'tap';
import { containerdFixture } from '../../test/helpers/node-pull-fixtures.js';
import { containerdHostsFor, readContainerdHosts } from './containerd-hosts.js';
import { MAX_FILE_BYTES, MAX_FILES } from './toml-input.js';

const { model, problems } = readContainerdHosts(containerdFixture());

t.test('a malformed hosts.toml is a problem naming the file and line, and the others still load', async (t) => {
  t.same(
    problems.map((p) => [p.file, p.line]),
    [['quay.io/hosts.toml', 3]],
  );
  t.match(problems[0]?.message, /^invalid TOML: /);
  t.same([...model.directories.keys()].sort(), ['_default', 'docker.io', 'registry.example.com_5000_']);
});

t.test('docker.io: the [host] entries in file order, then the server, each with its capabilities and CA', async (t) => {
  const { directory, hosts } = containerdHostsFor(model, 'docker.io');
  t.equal(directory, 'docker.io');
  t.same(
    hosts.map((h) => [h.role, `${h.scheme}://${h.host}${h.path}`, h.capabilities.join(','), h.ca.join(',')]),
    [
      ['mirror', 'https://public-mirror.example.com/v2', 'pull', ''],
      ['mirror', 'https://docker-mirror.internal/v2', 'pull,resolve', 'docker.io/docker-mirror.crt'],
      ['upstream', 'https://registry-1.docker.io/v2', 'pull,resolve,push', ''],
    ],
  );
});

t.test('host:port is found as host_port_, with skip_verify, a CA list and override_path', async (t) => {
  const { directory, hosts } = containerdHostsFor(model, 'registry.example.com:5000');
  t.equal(directory, 'registry.example.com_5000_');
  t.same(
    hosts.map((h) => [h.host, h.path, h.skipVerify, h.ca]),
    [
      ['192.168.31.250:5000', '/v2', true, []],
      ['mirror.registry', '/custom/api', false, ['/etc/certs/mirror.pem', '/etc/certs/mirror2.pem']],
      ['registry.example.com:5000', '/v2', false, []],
    ],
  );
});

t.test('a host with no directory falls back to _default, whose upstream is the host asked for', async (t) => {
  const { directory, hosts } = containerdHostsFor(model, 'ghcr.io');
  t.equal(directory, '_default');
  t.same(
    hosts.map((h) => [h.role, h.host]),
    [
      ['mirror', 'registry.example.com'],
      ['upstream', 'ghcr.io'],
    ],
  );
});

t.test('no directory at all: the registry host itself, docker.io as registry-1.docker.io', async (t) => {
  const empty = readContainerdHosts({}).model;
  t.same(
    containerdHostsFor(empty, 'docker.io').hosts.map((h) => h.host),
    ['registry-1.docker.io'],
  );
  const local = (host: string) =>
    containerdHostsFor(empty, host).hosts.map((h) => [h.scheme, h.host, h.skipVerify, h.capabilities.length]);
  t.same(local('localhost:5000'), [['http', 'localhost:5000', true, 3]], 'another port: http, TLS not verified');
  t.same(local('localhost'), [['https', 'localhost', true, 3]], 'no port: https, TLS not verified');
  t.same(local('127.0.0.1:443'), [['https', '127.0.0.1:443', true, 3]]);
  t.same(local('localhost:80'), [['http', 'localhost:80', false, 3]], 'port 80 is plain http');
  t.same(local('localhost.example.com:5000'), [['https', 'localhost.example.com:5000', false, 3]]);
});

t.test('a server without a scheme is https, a path gets /v2, unknown keys are ignored', async (t) => {
  const read = readContainerdHosts({
    'r.example': 'server = "r.example/base"\ndial_timeout = "3s"\n[header]\nx = "y"\n[host."http://m.example:81"]\n',
  });
  t.same(read.problems, []);
  t.same(
    containerdHostsFor(read.model, 'r.example').hosts.map((h) => `${h.scheme}://${h.host}${h.path}`),
    ['http://m.example:81/v2', 'https://r.example/base/v2'],
  );
});

t.test('wrong types and unknown capabilities are problems for that file', async (t) => {
  const cases: Record<string, RegExp> = {
    'server = 3': /server must be a string/,
    '[host."https://m"]\ncapabilities = ["pull", "fly"]': /unknown "fly"/,
    '[host."https://m"]\ncapabilities = "pull"': /capabilities must be a list/,
    'skip_verify = "yes"': /skip_verify must be true or false/,
    'ca = [1]': /ca must be a string or a list/,
    'host = 1': /host must be a table/,
    'server = "httpx://x"': /scheme must be http or https/,
    'server = "https://exa mple"': /is not a URL/,
  };
  for (const [text, message] of Object.entries(cases)) {
    const read = readContainerdHosts({ 'x.example': text });
    t.match(read.problems, [{ file: 'x.example/hosts.toml', message }], text);
    t.equal(read.model.directories.size, 0, text);
  }
});

t.test('oversized input is refused before parsing', async (t) => {
  const big = readContainerdHosts({ 'x.example': `# ${'a'.repeat(MAX_FILE_BYTES)}` });
  t.match(big.problems, [{ file: 'x.example/hosts.toml', message: /larger than/ }]);
  const many = Object.fromEntries(Array.from({ length: MAX_FILES + 1 }, (_, i) => [`h${i}.example`, '']));
  t.match(readContainerdHosts(many).problems, [{ message: /more than 256 host directories/ }]);
});

t.test('with no server line, the upstream has every capability and /v2, whatever the top level says', async (t) => {
  const read = readContainerdHosts({
    'r.example': 'capabilities = ["pull"]\noverride_path = true\nskip_verify = true',
  });
  t.same(
    containerdHostsFor(read.model, 'r.example').hosts.map((h) => [h.host, h.path, h.capabilities, h.skipVerify]),
    [['r.example', '/v2', ['pull', 'resolve', 'push'], true]],
  );
  const withServer = readContainerdHosts({ 'r.example': 'server = "https://r.example"\ncapabilities = ["pull"]' });
  t.same(
    containerdHostsFor(withServer.model, 'r.example').hosts.map((h) => h.capabilities),
    [['pull']],
  );
});
