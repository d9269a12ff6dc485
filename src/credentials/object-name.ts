/**
 * Which names may go into a Kubernetes API path, and which can name a Secret or ServiceAccount at all. Pod specs are
 * written by tenants: a pull secret named `.` must not turn `…/secrets/.` into the list URL `…/secrets/`.
 */

/**
 * client-go's Request.Name and Request.Namespace refuse an empty name and whatever apimachinery's
 * IsValidPathSegmentName refuses (k8s.io/apimachinery/pkg/api/validation/path): `.`, `..`, and names holding `/` or
 * `%`. The kubelet's read of such a pull secret fails before any request, so the secret counts as missing.
 */
export function isValidPathSegmentName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

const DNS1123_SUBDOMAIN_MAX = 253;
const DNS1123_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Whether a Secret or ServiceAccount can have this name: the API server validates both as DNS-1123 subdomains
 * (ValidateSecretName, ValidateServiceAccountName in k8s.io/kubernetes/pkg/apis/core/validation), so any other name
 * can only be answered "not found". Such a name is never sent: at best it costs a request for a known answer, at
 * worst (megabytes of name) the request itself fails and a missing secret would pass for an unreadable one.
 */
export function canNameSecretOrServiceAccount(name: string): boolean {
  return isDns1123Subdomain(name) && isValidPathSegmentName(name);
}

/**
 * A DNS-1123 subdomain, the form the API server requires of most object names (Secrets, webhook configurations:
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names).
 */
export function isDns1123Subdomain(name: string): boolean {
  // Length first: the regular expression then never sees more than 253 characters.
  return name.length <= DNS1123_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(name);
}
