/**
 * P1's baseline, run as its own process: a bare fastify HTTPS route with the same TLS key and certificate, the same
 * body limit and keep-alive settings as pullguard, that parses the AdmissionReview JSON and answers allowed. No
 * logging, no validation, no review: the cost of fastify + TLS + JSON alone.
 * Usage: node bench/lib/baseline-server.mjs <certDir> <port>
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fastify from 'fastify';

const [certDir, port] = process.argv.slice(2);
const app = fastify({
  logger: false,
  bodyLimit: 7 * 1024 * 1024,
  keepAliveTimeout: 75_000,
  https: {
    key: readFileSync(path.join(certDir, 'tls.key')),
    cert: readFileSync(path.join(certDir, 'tls.crt')),
    minVersion: 'TLSv1.2',
  },
});
app.post('/validate', async (request) => {
  const review = request.body;
  return { apiVersion: review.apiVersion, kind: review.kind, response: { uid: review.request.uid, allowed: true } };
});
app.get('/readyz', async () => 'ok');
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
