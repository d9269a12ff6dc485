/**
 * Deletes a manifest from the running registry, as an admin (or a retention policy) does after admission: `DELETE
 * /v2/<name>/manifests/<digest>` (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#deleting-manifests),
 * which the registry allows because the harness config enables `storage.delete`. Distribution drops every tag that
 * pointed at the manifest with it, so a later pull of those tags is a `manifest unknown`.
 */
import { harnessHttp } from './http-client.js';
import { pushAuthorization } from './push-image.js';
import type { RegistryHandle } from './types.js';

export async function deleteImage(reg: RegistryHandle, repository: string, digest: string): Promise<void> {
  if (reg.mode === 'token')
    throw new Error('deleteImage: the token server grants no delete scope; use a plain or basic registry');
  const http = harnessHttp(reg.caPem);
  try {
    const authorization = await pushAuthorization(reg, repository, http);
    const answer = await http.send(`${reg.url}/v2/${repository}/manifests/${digest}`, {
      method: 'DELETE',
      headers: authorization === undefined ? {} : { Authorization: authorization },
    });
    if (answer.status !== 202)
      throw new Error(`deleteImage: DELETE ${repository}@${digest} failed with HTTP ${answer.status}`);
  } finally {
    await http.close();
  }
}
