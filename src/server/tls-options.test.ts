import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import t, { type Test } from 'tap';
import { generateCertificates } from '../certs/generate-certificates.js';
import { servingTlsOptions } from './tls-options.js';

const first = generateCertificates({ extraSans: ['localhost'] });
const second = generateCertificates({ extraSans: ['localhost'] });

/** The protocol and cipher a client with `options` negotiates, or the error code. */
function negotiate(port: number, ca: string, options: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca, ...options }, () => {
      resolve(`${socket.getProtocol()} ${socket.getCipher().name}`);
      socket.end();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`refused ${error.code ?? error.message}`));
  });
}

async function checkSuites(t: Test, port: number, ca: string, when: string): Promise<void> {
  // SECLEVEL=0 lets the client offer these at all, so a refusal comes from the server.
  const weak = ['AES128-SHA', 'AES256-SHA', 'AES128-GCM-SHA256', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384'];
  for (const suite of weak)
    t.match(
      await negotiate(port, ca, { maxVersion: 'TLSv1.2', ciphers: `${suite}@SECLEVEL=0` }),
      /^refused/,
      `${when}: TLS 1.2 ${suite} refused`,
    );
  t.match(
    await negotiate(port, ca, { maxVersion: 'TLSv1.1', minVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }),
    /^refused/,
    `${when}: TLS 1.1 refused`,
  );
  t.equal(
    await negotiate(port, ca, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }),
    'TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256',
    `${when}: ECDHE with AES-GCM`,
  );
  t.equal(
    await negotiate(port, ca, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' }),
    'TLSv1.2 ECDHE-RSA-CHACHA20-POLY1305',
    `${when}: ECDHE with ChaCha20`,
  );
  t.match(await negotiate(port, ca, {}), /^TLSv1\.3 TLS_/, `${when}: TLS 1.3 by default`);
}

t.test('TLS 1.3, and on TLS 1.2 only ECDHE with AEAD, before and after setSecureContext', async (t) => {
  const server = tls.createServer(servingTlsOptions({ key: first.keyPem, cert: first.certPem }), (socket) =>
    socket.end(),
  );
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  t.teardown(() => server.close());
  const { port } = server.address() as AddressInfo;
  await checkSuites(t, port, first.caPem, 'at start');
  server.setSecureContext(servingTlsOptions({ key: second.keyPem, cert: second.certPem }));
  t.match(await negotiate(port, first.caPem, {}), /^refused/, 'the new certificate is served');
  await checkSuites(t, port, second.caPem, 'after a reload');
});
