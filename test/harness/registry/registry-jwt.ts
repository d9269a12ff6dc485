import crypto from 'node:crypto';

/** One `access` claim entry of a Distribution token (docker/distribution registry/auth/token). */
export interface TokenAccess {
  readonly type: string;
  readonly name: string;
  readonly actions: readonly string[];
}

/** Inputs of `signRegistryToken`. */
export interface RegistryTokenInput {
  readonly issuer: string;
  /** The registry's `auth.token.service`; Distribution 2.8 wants `aud` as a plain string. */
  readonly audience: string;
  readonly subject: string;
  readonly access: readonly TokenAccess[];
  readonly nowSeconds: number;
  readonly ttlSeconds: number;
  /** PEM key and certificate; the certificate's DER goes into the JOSE `x5c` header. */
  readonly keyPem: string;
  readonly certPem: string;
}

/**
 * Signs an RS256 JWT the way Distribution's token auth expects
 * (https://github.com/distribution/distribution/blob/main/docs/content/spec/auth/jwt.md): the registry verifies the
 * `x5c` certificate against its rootcertbundle, then the signature and claims.
 */
export function signRegistryToken(input: RegistryTokenInput): string {
  const header = { typ: 'JWT', alg: 'RS256', x5c: [pemToDerBase64(input.certPem)] };
  const claims = {
    iss: input.issuer,
    aud: input.audience,
    sub: input.subject,
    exp: input.nowSeconds + input.ttlSeconds,
    nbf: input.nowSeconds - 10,
    iat: input.nowSeconds,
    jti: crypto.randomUUID(),
    access: input.access,
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = crypto.sign('sha256', Buffer.from(signingInput), input.keyPem);
  return `${signingInput}.${signature.toString('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function pemToDerBase64(pem: string): string {
  return new crypto.X509Certificate(pem).raw.toString('base64');
}
