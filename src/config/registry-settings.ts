/**
 * Which `registries:` entry of the config applies to a host (first match wins, host globs as in runtime/glob.ts,
 * matched against host[:port] exactly as the image reference or URL writes it).
 */
import type { Config, RegistryConfig } from './load-config.js';
import { compileHostGlob } from '../runtime/glob.js';

/** Finds the config entry of a host, or undefined when none is listed. */
export type RegistryLookup = (host: string) => RegistryConfig | undefined;

export function createRegistryLookup(config: Config): RegistryLookup {
  const entries = config.registries.map((entry) => ({ entry, matches: compileHostGlob(entry.host) }));
  return (host) => entries.find((e) => e.matches(host))?.entry;
}

/** The host globs the SSRF guard lets past `network.blockedCidrs`: the admin's entries only, never the built-in ones. */
export function listedHosts(config: Config): string[] {
  return config.registries.filter((entry) => entry.listed).map((entry) => entry.host);
}

/** Metric label of a host: the configured glob it matched, or `other` (bounded cardinality, docs/design.md §6). */
export function registryLabel(entry: RegistryConfig | undefined): string {
  return entry?.host ?? 'other';
}

/** Base URL of a registry's API: https, or http when the registry is configured `plainHttp`. */
export function registryOrigin(apiHost: string, entry: RegistryConfig | undefined): string {
  return `${entry?.plainHttp ? 'http' : 'https'}://${apiHost}`;
}
