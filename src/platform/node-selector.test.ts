import t from 'tap';
import type { NodeSelectorRequirement, NodeSelectorTerm } from '../workload/extract-pod-spec.js';
import { matchesLabelRequirement, matchesNodeSelector, matchesRequiredAffinity } from './node-selector.js';

const labels = { 'kubernetes.io/arch': 'arm64', 'kubernetes.io/os': 'linux', tier: 'gpu', cores: '16' };

t.test('nodeSelector: every label equal', async (t) => {
  const table: [Record<string, string>, boolean][] = [
    [{}, true],
    [{ 'kubernetes.io/arch': 'arm64' }, true],
    [{ 'kubernetes.io/arch': 'arm64', tier: 'gpu' }, true],
    [{ 'kubernetes.io/arch': 'amd64' }, false],
    [{ 'kubernetes.io/arch': 'arm64', tier: 'cpu' }, false],
    [{ zone: 'a' }, false],
    [{ toString: '' }, false], // no prototype keys
  ];
  for (const [selector, expected] of table)
    t.equal(matchesNodeSelector(labels, selector), expected, JSON.stringify(selector));
});

t.test('label requirements: every operator', async (t) => {
  const table: [NodeSelectorRequirement, boolean][] = [
    [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }, true],
    [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }, false],
    [{ key: 'missing', operator: 'In', values: ['x'] }, false],
    [{ key: 'kubernetes.io/arch', operator: 'NotIn', values: ['amd64'] }, true],
    [{ key: 'kubernetes.io/arch', operator: 'NotIn', values: ['arm64'] }, false],
    [{ key: 'missing', operator: 'NotIn', values: ['x'] }, true],
    [{ key: 'tier', operator: 'Exists' }, true],
    [{ key: 'missing', operator: 'Exists' }, false],
    [{ key: 'tier', operator: 'DoesNotExist' }, false],
    [{ key: 'missing', operator: 'DoesNotExist' }, true],
    [{ key: 'cores', operator: 'Gt', values: ['8'] }, true],
    [{ key: 'cores', operator: 'Gt', values: ['16'] }, false],
    [{ key: 'cores', operator: 'Lt', values: ['32'] }, true],
    [{ key: 'cores', operator: 'Lt', values: ['16'] }, false],
    [{ key: 'missing', operator: 'Gt', values: ['1'] }, false],
    [{ key: 'tier', operator: 'Gt', values: ['1'] }, false], // label value is not an integer
  ];
  for (const [requirement, expected] of table) {
    const notes: string[] = [];
    t.equal(
      matchesLabelRequirement(labels, requirement, (n) => notes.push(n)),
      expected,
      JSON.stringify(requirement),
    );
    t.same(notes, [], 'no notes for valid requirements');
  }
});

t.test('requirements the API server would reject are ignored, with a note', async (t) => {
  const table: [NodeSelectorRequirement, RegExp][] = [
    [{ key: 'cores', operator: 'Gt', values: ['a'] }, /Gt on label cores ignored/],
    [{ key: 'cores', operator: 'Lt', values: ['1', '2'] }, /Lt on label cores ignored/],
    [{ key: 'cores', operator: 'Near', values: ['1'] }, /operator Near on label cores ignored/],
  ];
  for (const [requirement, note] of table) {
    const notes: string[] = [];
    t.equal(
      matchesLabelRequirement(labels, requirement, (n) => notes.push(n)),
      true,
    );
    t.match(notes, [note]);
  }
});

t.test('required affinity: terms ORed, requirements ANDed, fields on metadata.name', async (t) => {
  const node = { name: 'node-a', labels };
  const arm: NodeSelectorRequirement = { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] };
  const amd: NodeSelectorRequirement = { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] };
  const cpu: NodeSelectorRequirement = { key: 'tier', operator: 'In', values: ['cpu'] };
  const table: [string, NodeSelectorTerm[], boolean][] = [
    ['no terms: no constraint', [], true],
    ['one matching term', [{ matchExpressions: [arm] }], true],
    ['ANDed: one requirement fails', [{ matchExpressions: [arm, cpu] }], false],
    ['ORed: second term matches', [{ matchExpressions: [amd] }, { matchExpressions: [arm] }], true],
    ['ORed: no term matches', [{ matchExpressions: [amd] }, { matchExpressions: [cpu] }], false],
    ['an empty term matches nothing', [{}], false],
    ['an empty term next to a matching one', [{}, { matchExpressions: [arm] }], true],
    ['matchFields In', [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-a'] }] }], true],
    [
      'matchFields In other node',
      [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-b'] }] }],
      false,
    ],
    ['matchFields NotIn', [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node-a'] }] }], false],
    [
      'fields and expressions ANDed',
      [{ matchExpressions: [amd], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-a'] }] }],
      false,
    ],
  ];
  for (const [name, terms, expected] of table)
    t.equal(
      matchesRequiredAffinity(node, terms, () => {}),
      expected,
      name,
    );
});

t.test('matchFields on another field is ignored with a note', async (t) => {
  const notes: string[] = [];
  const terms = [{ matchFields: [{ key: 'spec.podCIDR', operator: 'In', values: ['x'] }] }];
  t.equal(
    matchesRequiredAffinity({ name: 'n', labels }, terms, (n) => notes.push(n)),
    true,
  );
  t.match(notes, [/matchFields on spec.podCIDR ignored/]);
});
