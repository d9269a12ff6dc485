/**
 * The values of the namespace label `pullguard.io/mode` (docs/install.md, "From warn to enforce"): `warn` turns
 * every deny into a warning in that namespace, `off` skips it, `enforce` is explicit. Pure: the review decides with
 * it, the Kubernetes adapter reads it from labels.
 */
export type NamespaceMode = 'warn' | 'enforce' | 'off';
