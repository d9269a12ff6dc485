/** The kubeconfig a test hands pullguard for the fake API: its CA, its bearer token, one context. */
export function kubeconfigText(server: string, caPem: string, token: string): string {
  // JSON is YAML; client-node reads either.
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'fake', cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } },
    ],
    users: [{ name: 'fake', user: { token } }],
    contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake', namespace: 'default' } }],
    'current-context': 'fake',
  });
}
