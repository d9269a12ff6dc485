/**
 * The flags `diagnose` and `scan` share with kubectl, read as kubectl reads them: `-o text|json`, `-n NAMESPACE` (a
 * DNS-1123 label, dropped with `-A`), and `--kubeconfig`, `--context`, `--config`, which need a value. kubectl
 * (spf13/pflag) reads `-n=NS` and `-o=json` as `-n NS`, `-o json`; node:util keeps the `=`, so it is dropped here.
 * Pure; a problem goes to `fail` (a usage error).
 */

/** The shared flags as node:util's parseArgs gives them. */
export interface KubectlFlagValues {
  readonly namespace?: string;
  readonly 'all-namespaces'?: boolean;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly config?: string;
  readonly output?: string;
}

/** The parseArgs options of the shared flags. */
export const KUBECTL_FLAG_OPTIONS = {
  namespace: { type: 'string', short: 'n' },
  'all-namespaces': { type: 'boolean', short: 'A' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  config: { type: 'string' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface KubectlFlags {
  readonly output: 'text' | 'json';
  readonly allNamespaces: boolean;
  /** As given with `-n`, unless `-A` was given too. */
  readonly namespace?: string;
  readonly kubeconfigPath?: string;
  readonly context?: string;
  readonly configPath?: string;
}

/** A namespace name: a DNS-1123 label. */
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function readKubectlFlags(values: KubectlFlagValues, fail: (message: string) => never): KubectlFlags {
  const format = (values.output ?? 'text').replace(/^=/, '');
  const output =
    format === 'text' || format === 'json'
      ? format
      : fail(`unable to match a printer suitable for the output format "${format}", allowed formats are: text,json`);
  const allNamespaces = values['all-namespaces'] ?? false;
  const namespace = values.namespace?.replace(/^=/, '');
  if (namespace !== undefined && !allNamespaces && (namespace.length > 63 || !LABEL.test(namespace)))
    fail(
      `"${namespace}" is not a valid namespace name (a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters)`,
    );
  for (const [flag, value] of [
    ['--kubeconfig', values.kubeconfig],
    ['--context', values.context],
    ['--config', values.config],
  ] as const)
    if (value === '') fail(`${flag} needs a value`);
  return {
    output,
    allNamespaces,
    ...(namespace !== undefined && !allNamespaces ? { namespace } : {}),
    ...(values.kubeconfig ? { kubeconfigPath: values.kubeconfig } : {}),
    ...(values.context ? { context: values.context } : {}),
    ...(values.config ? { configPath: values.config } : {}),
  };
}
