/**
 * The webhook's TLS settings, in one place: the server is created with them and every certificate reload passes
 * them again, because `server.setSecureContext()` builds a new context from its argument alone (a reload that
 * passed only key and cert would quietly bring back Node's default cipher list).
 *
 * TLS 1.3, and on TLS 1.2 only ECDHE key exchange with AEAD ciphers (AES-GCM, ChaCha20-Poly1305): forward secrecy,
 * no static-RSA key exchange, no CBC/SHA-1. These are the suites Go's crypto/tls offers first as a client, so every
 * kube-apiserver negotiates one of them; they match the list Kubernetes hardening guides give for
 * `--tls-cipher-suites`.
 */
import type { SecureContextOptions, TlsOptions } from 'node:tls';

const TLS12_SUITES = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
];
const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

/** Everything but the key pair: protocol floor, cipher list and the server's preference order. */
const SERVING_TLS = Object.freeze({
  minVersion: 'TLSv1.2',
  ciphers: [...TLS13_SUITES, ...TLS12_SUITES].join(':'),
  honorCipherOrder: true,
} satisfies TlsOptions);

/** Options for `https.createServer` and for `setSecureContext` on each reload: the pair plus SERVING_TLS. */
export function servingTlsOptions(pair: {
  readonly key: string;
  readonly cert: string;
}): SecureContextOptions & TlsOptions {
  return { ...SERVING_TLS, key: pair.key, cert: pair.cert };
}
