/**
 * containerd's registry host configuration (`config_path`), as documented in
 * https://github.com/containerd/containerd/blob/main/docs/hosts.md: one directory per registry host holding a
 * hosts.toml, whose `[host."…"]` entries are tried in file order before the `server` (the upstream). The caller
 * reads the files and hands over a map of directory name → hosts.toml text.
 */
import {
  booleanAt,
  isTable,
  MAX_ENTRIES,
  MAX_FILES,
  type NodePullProblem,
  readToml,
  stringsAt,
  type Table,
  typeProblem,
} from './toml-input.js';

export type Capability = 'pull' | 'resolve' | 'push';

/** One endpoint containerd may contact for a registry host, with its own TLS settings. */
export interface ContainerdHost {
  readonly scheme: string;
  /** host[:port] */
  readonly host: string;
  /** The API path: `/v2` appended unless `override_path` (hosts.md, "override_path"). */
  readonly path: string;
  readonly capabilities: readonly Capability[];
  readonly skipVerify: boolean;
  /** CA file paths: absolute as written; a relative one (relative to its hosts.toml) as `<directory>/<path>`. */
  readonly ca: readonly string[];
  readonly role: 'mirror' | 'upstream';
}

interface HostsFile {
  readonly mirrors: readonly ContainerdHost[];
  /** The `server` line, or undefined: the upstream then defaults to the registry host itself. */
  readonly server: string | undefined;
  readonly upstream: Omit<ContainerdHost, 'scheme' | 'host' | 'path' | 'role'> & { readonly overridePath: boolean };
}

export interface ContainerdModel {
  readonly runtime: 'containerd';
  readonly directories: ReadonlyMap<string, HostsFile>;
}

export interface ContainerdRead {
  readonly model: ContainerdModel;
  readonly problems: readonly NodePullProblem[];
}

const ALL_CAPABILITIES: readonly Capability[] = ['pull', 'resolve', 'push'];
const DEFAULT_DIRECTORY = '_default';

/** Reads every directory's hosts.toml; a file with a problem is left out of the model (and reported). */
export function readContainerdHosts(files: Readonly<Record<string, string>>): ContainerdRead {
  const names = Object.keys(files);
  if (names.length > MAX_FILES) {
    return {
      model: { runtime: 'containerd', directories: new Map() },
      problems: [{ file: 'hosts directory', message: `more than ${MAX_FILES} host directories, refused` }],
    };
  }
  const directories = new Map<string, HostsFile>();
  const problems: NodePullProblem[] = [];
  for (const name of names) {
    const file = `${name}/hosts.toml`;
    const read = readToml(file, files[name] ?? '');
    if (!read.ok) {
      problems.push(read.problem);
      continue;
    }
    const parsed = hostsFile(file, read.table);
    if ('problem' in parsed) problems.push(parsed.problem);
    else directories.set(name, parsed.hostsFile);
  }
  return { model: { runtime: 'containerd', directories }, problems };
}

type Parsed<T> = { readonly hostsFile: T } | { readonly problem: NodePullProblem };

function hostsFile(file: string, table: Table): Parsed<HostsFile> {
  const server = table['server'];
  if (server !== undefined && typeof server !== 'string') return { problem: typeProblem(file, 'server', 'a string') };
  const hosts = table['host'] ?? {};
  if (!isTable(hosts)) return { problem: typeProblem(file, 'host', 'a table of host tables') };
  const urls = Object.keys(hosts); // smol-toml keeps keys in file order, the order containerd tries them in
  if (urls.length > MAX_ENTRIES) return { problem: { file, message: `more than ${MAX_ENTRIES} hosts, refused` } };
  const mirrors: ContainerdHost[] = [];
  for (const url of urls) {
    const entry = hosts[url];
    if (!isTable(entry)) return { problem: typeProblem(file, `host."${url}"`, 'a table') };
    const settings = hostSettings(file, `host."${url}".`, entry);
    if ('problem' in settings) return settings;
    const endpoint = endpointOf(file, url, settings.hostsFile.overridePath);
    if ('problem' in endpoint) return endpoint;
    mirrors.push({ ...endpoint.hostsFile, ...withoutOverride(settings.hostsFile), role: 'mirror' });
  }
  const upstream = hostSettings(file, '', table);
  if ('problem' in upstream) return upstream;
  if (server !== undefined) {
    const endpoint = endpointOf(file, server, upstream.hostsFile.overridePath);
    if ('problem' in endpoint) return endpoint;
  }
  return { hostsFile: { mirrors, server, upstream: upstream.hostsFile } };
}

type Settings = HostsFile['upstream'];

function withoutOverride(settings: Settings): Omit<Settings, 'overridePath'> {
  const { capabilities, skipVerify, ca } = settings;
  return { capabilities, skipVerify, ca };
}

function hostSettings(file: string, where: string, table: Table): Parsed<Settings> {
  const capabilityList = table['capabilities'];
  let capabilities = ALL_CAPABILITIES;
  if (capabilityList !== undefined) {
    const list = stringsAt(table, 'capabilities');
    if (list === undefined || !Array.isArray(capabilityList)) {
      return { problem: typeProblem(file, `${where}capabilities`, 'a list of strings') };
    }
    const lower = list.map((c) => c.toLowerCase());
    const unknown = lower.find((c) => !(ALL_CAPABILITIES as readonly string[]).includes(c));
    if (unknown !== undefined) return { problem: { file, message: `${where}capabilities: unknown "${unknown}"` } };
    // An empty list means the default, as containerd reads it (hosts.md, "capabilities").
    if (lower.length > 0) capabilities = ALL_CAPABILITIES.filter((c) => lower.includes(c));
  }
  const flags: Record<string, boolean> = {};
  for (const key of ['skip_verify', 'override_path']) {
    if (table[key] !== undefined && booleanAt(table, key) === undefined) {
      return { problem: typeProblem(file, `${where}${key}`, 'true or false') };
    }
    flags[key] = booleanAt(table, key) ?? false;
  }
  const written = table['ca'] === undefined ? [] : stringsAt(table, 'ca');
  if (written === undefined) return { problem: typeProblem(file, `${where}ca`, 'a string or a list of strings') };
  // containerd reads a relative path from the hosts.toml's directory (hosts.md, "ca").
  const directory = file.slice(0, file.lastIndexOf('/'));
  const ca = written.map((path) => (path.startsWith('/') ? path : `${directory}/${path}`));
  return {
    hostsFile: {
      capabilities,
      skipVerify: flags['skip_verify'] === true,
      ca,
      overridePath: flags['override_path'] === true,
    },
  };
}

/** containerd's parseHostConfig: `https://` when no scheme, `/v2` appended unless override_path. */
function endpointOf(
  file: string,
  text: string,
  overridePath: boolean,
): Parsed<Pick<ContainerdHost, 'scheme' | 'host' | 'path'>> {
  let url: URL;
  try {
    url = new URL(text.startsWith('http') ? text : `https://${text}`);
  } catch {
    return { problem: { file, message: `"${text}" is not a URL` } };
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== 'https' && scheme !== 'http')
    return { problem: { file, message: `"${text}": scheme must be http or https` } };
  let path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  if (!overridePath && !path.endsWith('/v2')) path = `${path}/v2`;
  return { hostsFile: { scheme, host: url.host, path } };
}

/**
 * The endpoints containerd tries for a registry host, in order: the `[host]` entries, then the upstream. The
 * directory is looked up as containerd's hostPaths does: `host_port_`, then `host:port`, then `_default`.
 */
export function containerdHostsFor(
  model: ContainerdModel,
  registryHost: string,
): {
  readonly directory: string | undefined;
  readonly hosts: readonly ContainerdHost[];
} {
  const colon = registryHost.lastIndexOf(':');
  const candidates = [
    ...(colon > 0 ? [`${registryHost.slice(0, colon)}_${registryHost.slice(colon + 1)}_`] : []),
    registryHost,
    DEFAULT_DIRECTORY,
  ];
  const directory = candidates.find((name) => model.directories.has(name));
  const file = directory === undefined ? undefined : model.directories.get(directory);
  const settings = file?.upstream ?? { capabilities: ALL_CAPABILITIES, skipVerify: false, ca: [], overridePath: false };
  const mirrors = file?.mirrors ?? [];
  const server = file?.server;
  if (server === undefined) return { directory, hosts: [...mirrors, defaultUpstream(registryHost, settings)] };
  const endpoint = endpointOf(directory ?? '', server, settings.overridePath);
  // A server that does not parse was reported when the file was read, and the file left out.
  const upstream =
    'problem' in endpoint ? [] : [{ ...endpoint.hostsFile, ...withoutOverride(settings), role: 'upstream' as const }];
  return { directory, hosts: [...mirrors, ...upstream] };
}

/**
 * ConfigureHosts with no `server`: docker.io is registry-1.docker.io; localhost is http (https on 443 or no port)
 * with TLS verification off unless on port 80; any other host is https. Path `/v2` and all capabilities, whatever
 * the file's top level said. Source: https://github.com/containerd/containerd/blob/main/core/remotes/docker/config/hosts.go
 */
function defaultUpstream(registryHost: string, settings: Settings): ContainerdHost {
  const base = { ...withoutOverride(settings), role: 'upstream' as const, path: '/v2', capabilities: ALL_CAPABILITIES };
  if (registryHost === 'docker.io') return { ...base, scheme: 'https', host: 'registry-1.docker.io' };
  if (!isLocalhost(registryHost)) return { ...base, scheme: 'https', host: registryHost };
  const port = /:(\d+)$/.exec(registryHost)?.[1] ?? '';
  const scheme = port === '' || port === '443' ? 'https' : 'http';
  return { ...base, scheme, host: registryHost, skipVerify: port === '80' ? settings.skipVerify : true };
}

/** docker.IsLocalhost: `localhost` or a loopback address, with or without a port. */
export function isLocalhost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '::1' || /^127(?:\.\d{1,3}){3}$/.test(name);
}
