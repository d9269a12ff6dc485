import t from 'tap';
import type { DecidedFinding } from './finding.js';
import { auditFindings, findingRecords } from './audit-findings.js';

const finding = (i: number): DecidedFinding => ({
  class: 'latestTag',
  verdict: 'warn',
  canonical: `docker.io/library/img-${i}:latest`,
  cause: 'secret cause text',
  short: 's',
  use: { image: `img-${i}`, name: `c${i}`, section: 'containers', path: `spec.containers[${i}].image` },
});

t.test('machine-readable findings, no messages, bounded', async (t) => {
  t.same(auditFindings([]), {});
  const one = JSON.parse(auditFindings([finding(0)])['findings'] ?? '[]') as unknown;
  t.same(one, [
    {
      path: 'spec.containers[0].image',
      reference: 'docker.io/library/img-0:latest',
      class: 'latestTag',
      action: 'warn',
    },
  ]);
  const many = auditFindings(Array.from({ length: 500 }, (_, i) => finding(i)))['findings'] ?? '';
  t.ok(Buffer.byteLength(many) <= 8192, `${Buffer.byteLength(many)} bytes`);
  const records = JSON.parse(many) as { class: string; omitted?: number }[];
  const marker = records.at(-1);
  t.equal(marker?.class, 'truncated');
  t.equal((marker?.omitted ?? 0) + records.length - 1, 500, 'the omitted count adds up');
  t.notMatch(many, 'secret cause text');
});

t.test('the records of one decision are built once (annotation and log line share them)', async (t) => {
  const findings = [finding(0), finding(1)];
  const records = findingRecords(findings);
  t.equal(findingRecords(findings), records);
  t.same(
    records.map((r) => r.path),
    ['spec.containers[0].image', 'spec.containers[1].image'],
  );
  t.not(findingRecords([...findings]), records, 'another decision, other records');
});
