/**
 * The kubelet's `CredentialProviderConfig` (the file of `--image-credential-provider-config`), read as is: YAML or
 * JSON, `apiVersion` kubelet.config.k8s.io/v1 (or v1beta1, v1alpha1), `kind: CredentialProviderConfig`. docs/design.md
 * §1.4. Decoded strictly, as the kubelet's decoder does (serializer.EnableStrict: an unknown or repeated field is an
 * error), then checked as the kubelet's `validateCredentialProviderConfig` checks it
 * (pkg/credentialprovider/plugin/config.go in https://github.com/kubernetes/kubernetes), with the
 * KubeletServiceAccountTokenForCredentialProviders feature on (beta, on by default since Kubernetes 1.34). Pure: the
 * file is read by src/cli/load-credential-providers.ts.
 *
 * Every problem names the file and the field (`providers[1].tokenAttributes.cacheType`). `args` and `env` are checked
 * for shape only and never kept or quoted: their values may be secrets.
 */
import { parse as parseYaml } from 'yaml';
import { parseGoHttpsUrl } from './registry-url.js';

/** `tokenAttributes`: the plugin gets a service-account token for the pod (KEP-4412). */
export interface TokenAttributes {
  readonly serviceAccountTokenAudience: string;
  readonly requireServiceAccount: boolean;
  /** Without every one of these on the pod's ServiceAccount, the kubelet does not call the plugin. */
  readonly requiredServiceAccountAnnotationKeys: readonly string[];
  readonly optionalServiceAccountAnnotationKeys: readonly string[];
  readonly cacheType: string;
}

/** One provider, as far as pullguard needs it (which images it serves, and what it needs to be called). */
export interface CredentialProvider {
  readonly name: string;
  readonly matchImages: readonly string[];
  readonly tokenAttributes?: TokenAttributes;
}

export type ParsedCredentialProviders =
  | { readonly ok: true; readonly providers: readonly CredentialProvider[] }
  | { readonly ok: false; readonly problems: readonly string[] };

const CONFIG_VERSIONS = ['kubelet.config.k8s.io/v1', 'kubelet.config.k8s.io/v1beta1', 'kubelet.config.k8s.io/v1alpha1'];
/** The plugin protocol versions the kubelet speaks (plugin.go `apiVersions`). */
const PLUGIN_VERSIONS = [
  'credentialprovider.kubelet.k8s.io/v1',
  'credentialprovider.kubelet.k8s.io/v1alpha1',
  'credentialprovider.kubelet.k8s.io/v1beta1',
];
const CACHE_TYPES = ['ServiceAccount', 'Token'];
const PROVIDER_FIELDS = ['name', 'matchImages', 'defaultCacheDuration', 'apiVersion', 'args', 'env', 'tokenAttributes'];
const TOKEN_FIELDS = [
  'serviceAccountTokenAudience',
  'requireServiceAccount',
  'requiredServiceAccountAnnotationKeys',
  'optionalServiceAccountAnnotationKeys',
  'cacheType',
];
/** Go's time.ParseDuration grammar (metav1.Duration); the sign is checked separately. */
const GO_DURATION = /^[-+]?(?:0|(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

type Json = Record<string, unknown>;

/** Parses and validates the file's text; `file` names it in problems. */
export function parseCredentialProviderConfig(text: string, file: string): ParsedCredentialProviders {
  const problems: string[] = [];
  const add = (path: string, what: string): void => void problems.push(`${file}: ${path}: ${what}`);
  let document: unknown;
  try {
    // YAML 1.1, as the kubelet's sigs.k8s.io/yaml reads it (`yes` and `on` are booleans); aliases are capped so a
    // small file cannot expand into a huge one.
    document = parseYaml(text, { version: '1.1', uniqueKeys: true, maxAliasCount: 100 });
  } catch (error) {
    // The parser's own message quotes the source, which may hold an env value: only the position is shown.
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    return { ok: false, problems: [`${file}: not valid YAML or JSON${line ? ` (line ${line})` : ''}`] };
  }
  if (!isObject(document)) return { ok: false, problems: [`${file}: not a CredentialProviderConfig object`] };
  unknownFields(document, ['apiVersion', 'kind', 'providers'], '', add);
  if (!CONFIG_VERSIONS.includes(document['apiVersion'] as string))
    add('apiVersion', `must be one of ${CONFIG_VERSIONS.join(', ')}`);
  if (document['kind'] !== 'CredentialProviderConfig') add('kind', 'must be CredentialProviderConfig');
  const list = document['providers'];
  const providers: CredentialProvider[] = [];
  if (!Array.isArray(list) || list.length === 0) add('providers', 'at least 1 provider is required');
  else {
    const seen = new Set<string>();
    list.forEach((entry: unknown, i) => {
      const provider = providerOf(entry, `providers[${i}]`, add);
      if (provider === undefined) return;
      if (seen.has(provider.name)) add(`providers[${i}].name`, `duplicate provider name ${quote(provider.name)}`);
      seen.add(provider.name);
      providers.push(provider);
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, providers: Object.freeze(providers) };
}

type Add = (path: string, what: string) => void;

function providerOf(entry: unknown, at: string, add: Add): CredentialProvider | undefined {
  if (!isObject(entry)) return void add(at, 'must be an object');
  const before = countingAdd(add);
  unknownFields(entry, PROVIDER_FIELDS, at, before.add);
  const name = entry['name'];
  if (typeof name !== 'string' || name === '') before.add(`${at}.name`, 'a provider name is required');
  else if (name.includes('/') || name.includes(' ') || name === '.' || name === '..')
    before.add(`${at}.name`, `${quote(name)} is not a plugin file name (no '/', no spaces, not '.' or '..')`);
  const apiVersion = entry['apiVersion'];
  if (!PLUGIN_VERSIONS.includes(apiVersion as string))
    before.add(`${at}.apiVersion`, `must be one of ${PLUGIN_VERSIONS.join(', ')}`);
  const matchImages = stringList(entry['matchImages'], `${at}.matchImages`, before.add) ?? [];
  const listed = entry['matchImages'];
  if (matchImages.length === 0 && (Array.isArray(listed) || listed === undefined || listed === null))
    before.add(`${at}.matchImages`, 'at least 1 item in matchImages is required');
  matchImages.forEach((glob, i) => {
    if (!parsesAsUrl(glob)) before.add(`${at}.matchImages[${i}]`, `${quote(glob)} is not a valid image pattern`);
  });
  durationCheck(entry['defaultCacheDuration'], `${at}.defaultCacheDuration`, before.add);
  stringList(entry['args'], `${at}.args`, before.add);
  envCheck(entry['env'], `${at}.env`, before.add);
  const tokens = entry['tokenAttributes'];
  const tokenAttributes =
    tokens === undefined || tokens === null ? undefined : tokenAttributesOf(tokens, apiVersion, at, before.add);
  if (before.count() > 0 || typeof name !== 'string') return undefined;
  return Object.freeze({
    name,
    matchImages: Object.freeze(matchImages),
    ...(tokenAttributes ? { tokenAttributes } : {}),
  });
}

function tokenAttributesOf(value: unknown, apiVersion: unknown, provider: string, add: Add) {
  const at = `${provider}.tokenAttributes`;
  if (!isObject(value)) return void add(at, 'must be an object');
  unknownFields(value, TOKEN_FIELDS, at, add);
  const audience = value['serviceAccountTokenAudience'];
  if (typeof audience !== 'string' || audience === '') add(`${at}.serviceAccountTokenAudience`, 'is required');
  const requireServiceAccount = value['requireServiceAccount'];
  if (typeof requireServiceAccount !== 'boolean') add(`${at}.requireServiceAccount`, 'is required (true or false)');
  if (apiVersion !== 'credentialprovider.kubelet.k8s.io/v1')
    add(at, 'tokenAttributes is only supported for apiVersion credentialprovider.kubelet.k8s.io/v1');
  const required = annotationKeys(
    value['requiredServiceAccountAnnotationKeys'],
    `${at}.requiredServiceAccountAnnotationKeys`,
    add,
  );
  const optional = annotationKeys(
    value['optionalServiceAccountAnnotationKeys'],
    `${at}.optionalServiceAccountAnnotationKeys`,
    add,
  );
  if (requireServiceAccount === false && required.length > 0)
    add(`${at}.requiredServiceAccountAnnotationKeys`, 'requireServiceAccount cannot be false when this is set');
  const both = required.filter((key) => optional.includes(key));
  if (both.length > 0) add(at, `annotation keys cannot be both required and optional: ${both.map(quote).join(', ')}`);
  const cacheType = value['cacheType'];
  if (!CACHE_TYPES.includes(cacheType as string)) add(`${at}.cacheType`, `must be one of ${CACHE_TYPES.join(', ')}`);
  return Object.freeze({
    serviceAccountTokenAudience: String(audience),
    requireServiceAccount: requireServiceAccount === true,
    requiredServiceAccountAnnotationKeys: Object.freeze(required),
    optionalServiceAccountAnnotationKeys: Object.freeze(optional),
    cacheType: String(cacheType),
  });
}

/** Annotation keys: qualified names, compared in lower case as the API server does, each at most once. */
function annotationKeys(value: unknown, at: string, add: Add): string[] {
  const keys = stringList(value, at, add) ?? [];
  const seen = new Set<string>();
  keys.forEach((key, i) => {
    if (!isQualifiedName(key.toLowerCase())) add(`${at}[${i}]`, `${quote(key)} is not a valid annotation key`);
    if (seen.has(key)) add(`${at}[${i}]`, `duplicate key ${quote(key)}`);
    seen.add(key);
  });
  return keys;
}

function isQualifiedName(key: string): boolean {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= 63 && QUALIFIED_NAME.test(name);
}

function durationCheck(value: unknown, at: string, add: Add): void {
  if (value === undefined || value === null) return add(at, 'is required (a duration such as 12h or 0s)');
  if (typeof value !== 'string' || !GO_DURATION.test(value)) return add(at, `${quote(value)} is not a duration`);
  if (value.startsWith('-') && /[1-9]/.test(value)) add(at, 'must be greater than or equal to 0');
}

function envCheck(value: unknown, at: string, add: Add): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) return add(at, 'must be a list of {name, value}');
  value.forEach((entry: unknown, i) => {
    if (!isObject(entry)) return add(`${at}[${i}]`, 'must be an object with name and value');
    unknownFields(entry, ['name', 'value'], `${at}[${i}]`, add);
    if (typeof entry['name'] !== 'string' || typeof entry['value'] !== 'string')
      add(`${at}[${i}]`, 'name and value must both be strings');
  });
}

function stringList(value: unknown, at: string, add: Add): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    return void add(at, 'must be a list of strings');
  return [...(value as string[])];
}

function unknownFields(object: Json, known: readonly string[], at: string, add: Add): void {
  for (const key of Object.keys(object))
    if (!known.includes(key))
      add(at === '' ? key : `${at}.${key}`, 'unknown field (the kubelet decodes this file strictly)');
}

/** The kubelet's ParseSchemelessURL: `https://` + pattern must parse as a URL. */
function parsesAsUrl(glob: string): boolean {
  return parseGoHttpsUrl(`https://${glob}`) !== undefined;
}

function countingAdd(add: Add): { add: Add; count(): number } {
  let count = 0;
  return { add: (path, what) => (count++, add(path, what)), count: () => count };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value for a message, bounded: names and patterns only (never args or env). */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…"` : text;
}
