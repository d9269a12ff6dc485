import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import t from 'tap';
import { generateCertificates } from './generate-certificates.js';
import { assessStoredCertificates } from './stored-certificates.js';
import { subjectAltNames } from './subject-alt-names.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const wanted = subjectAltNames('pullguard', 'pullguard', ['::1']);
const first = generateCertificates({ days: 365, extraSans: ['0:0::1'], now: NOW });
const other = generateCertificates({ days: 365, now: NOW });
const stored = { caPem: first.caPem, certPem: first.certPem, keyPem: first.keyPem };
const reason = (result: ReturnType<typeof assessStoredCertificates>) => (result.usable ? 'usable' : result.reason);

t.test('a fresh set that names every SAN wanted is usable, with its expiry and SANs', async (t) => {
  const result = assessStoredCertificates(stored, wanted, NOW);
  t.match(result, { usable: true, caPem: first.caPem, notAfter: new Date(NOW.getTime() + 365 * DAY) });
  t.same(result.usable && [...result.sans].sort(), [...first.sans].sort(), 'an IPv6 SAN compares canonically');
  t.equal(reason(assessStoredCertificates(stored, subjectAltNames('pullguard', 'pullguard'), NOW)), 'usable');
});

t.test('missing keys are named', async (t) => {
  t.equal(reason(assessStoredCertificates({ certPem: first.certPem }, wanted, NOW)), 'it has no ca.crt, tls.key');
  t.equal(reason(assessStoredCertificates({}, wanted, NOW)), 'it has no ca.crt, tls.crt, tls.key');
});

t.test('garbage, a leaf as the CA, a wrong key, a foreign CA', async (t) => {
  t.equal(
    reason(assessStoredCertificates({ ...stored, caPem: 'junk' }, wanted, NOW)),
    'ca.crt does not hold a PEM CA certificate',
  );
  t.equal(
    reason(assessStoredCertificates({ ...stored, caPem: first.certPem }, wanted, NOW)),
    'ca.crt does not hold a PEM CA certificate',
  );
  const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
  t.equal(
    reason(assessStoredCertificates({ ...stored, certPem: broken }, wanted, NOW)),
    'tls.crt does not hold a PEM certificate',
  );
  t.equal(
    reason(assessStoredCertificates({ ...stored, keyPem: other.keyPem }, wanted, NOW)),
    'tls.key is not the key of tls.crt',
  );
  t.equal(
    reason(assessStoredCertificates({ ...stored, keyPem: 'not a key' }, wanted, NOW)),
    'tls.key is not the key of tls.crt',
  );
  t.equal(
    reason(assessStoredCertificates({ ...stored, caPem: other.caPem }, wanted, NOW)),
    'tls.crt is not signed by ca.crt',
  );
});

t.test('a SAN wanted but absent is named', async (t) => {
  const more = subjectAltNames('pullguard', 'pullguard', ['::1', 'Webhook.Example.com', '10.0.0.1']);
  t.equal(reason(assessStoredCertificates(stored, more, NOW)), 'tls.crt does not name webhook.example.com, 10.0.0.1');
  const renamed = subjectAltNames('guard', 'pullguard');
  t.match(reason(assessStoredCertificates(stored, renamed, NOW)), /^tls\.crt does not name guard, guard\.pullguard,/);
});

t.test('renewed once two thirds of the lifetime have passed; not before its start', async (t) => {
  const renewAt = NOW.getTime() - 60_000 + ((365 * DAY + 60_000) * 2) / 3;
  t.equal(reason(assessStoredCertificates(stored, wanted, new Date(renewAt - 1000))), 'usable');
  t.match(
    reason(assessStoredCertificates(stored, wanted, new Date(renewAt))),
    /^tls\.crt is due for renewal \(valid until 2027-06-01T/,
  );
  t.match(
    reason(assessStoredCertificates(stored, wanted, new Date(NOW.getTime() - DAY))),
    /^tls\.crt is not valid before /,
  );
});

/** A CA valid for `caDays` and a serving certificate it signs valid for `leafDays`, both from `NOW`. */
function pairWithLifetimes(caDays: number, leafDays: number) {
  const keys = () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    const privateKey = forge.pki.privateKeyFromPem(String(pem));
    return { privateKey, publicKey: forge.pki.setRsaPublicKey(privateKey.n, privateKey.e), pem: String(pem) };
  };
  const make = (
    subject: string,
    key: ReturnType<typeof keys>,
    signer: ReturnType<typeof keys>,
    days: number,
    ca: boolean,
  ) => {
    const cert = forge.pki.createCertificate();
    cert.publicKey = key.publicKey;
    cert.serialNumber = ca ? '01' : '02';
    cert.validity.notBefore = NOW;
    cert.validity.notAfter = new Date(NOW.getTime() + days * DAY);
    cert.setSubject([{ name: 'commonName', value: subject }]);
    cert.setIssuer([{ name: 'commonName', value: 'test CA' }]);
    cert.setExtensions(
      ca
        ? [{ name: 'basicConstraints', cA: true, critical: true }]
        : [{ name: 'subjectAltName', altNames: wanted.dns.map((value) => ({ type: 2, value })) }],
    );
    cert.sign(signer.privateKey, forge.md.sha256.create());
    return forge.pki.certificateToPem(cert);
  };
  const caKeys = keys();
  const leafKeys = keys();
  return {
    caPem: make('test CA', caKeys, caKeys, caDays, true),
    certPem: make('pullguard.pullguard.svc', leafKeys, caKeys, leafDays, false),
    keyPem: leafKeys.pem,
  };
}

t.test('a CA due for renewal renews the set, even when the serving certificate is not', async (t) => {
  const dnsOnly = subjectAltNames('pullguard', 'pullguard');
  const later = new Date(NOW.getTime() + 70 * DAY);
  t.equal(reason(assessStoredCertificates(pairWithLifetimes(365, 365), dnsOnly, later)), 'usable');
  t.match(reason(assessStoredCertificates(pairWithLifetimes(90, 365), dnsOnly, later)), /^ca\.crt is due for renewal/);
});
