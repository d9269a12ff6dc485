// @ts-ignore
import { loggerOptions } from '../dist/observability/logger.js';
import { pino } from 'pino';
const obj = { uid: '0b759dae-846d-4b5f-8854-8a8310c4af05', kind: 'Deployment', namespace: 'shop', name: 'web', operation: 'CREATE', dryRun: false, decision: 'allow', durationMs: 1.23, findings: [] };
const variants: Record<string, any> = {
  'repo options (redact 19 paths)': loggerOptions('info'),
  'without redact': { ...loggerOptions('info'), redact: undefined },
  'redact, no wildcards': { ...loggerOptions('info'), redact: { paths: ['authorization', 'password', 'auth', 'token', 'access_token', 'identitytoken', 'credentials', 'data'], censor: '[redacted]' } },
};
for (const round of [1, 2]) for (const [name, opts] of Object.entries(variants)) {
  const logger = pino(opts, pino.destination({ dest: '/dev/null', sync: true }));
  const child = logger.child({ reqId: 'req-1' });
  for (let i = 0; i < 20000; i++) child.info(obj, 'review');
  const c0 = process.cpuUsage();
  for (let i = 0; i < 100000; i++) child.info(obj, 'review');
  const c = process.cpuUsage(c0);
  if (round === 2) console.log(name.padEnd(34), ((c.user + c.system) / 100000).toFixed(2), 'µs cpu/line');
}
for (const round of [1, 2]) for (const [name, opts] of Object.entries(variants)) {
  const logger = pino(opts, pino.destination({ dest: '/dev/null', sync: true }));
  const run = (n: number) => { for (let i = 0; i < n; i++) logger.child({ reqId: `req-${i}` }).info(obj, 'review'); };
  run(20000);
  const c0 = process.cpuUsage();
  run(100000);
  const c = process.cpuUsage(c0);
  if (round === 2) console.log('child per request + line: ' + name.padEnd(34), ((c.user + c.system) / 100000).toFixed(2), 'µs cpu');
}
