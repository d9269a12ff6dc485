/**
 * Writes src/workload/pod-spec-check.generated.ts from the built pod-spec-check-code.js (run `npm run build` first):
 * the pod spec validator, precompiled so that start-up does not load TypeBox (docs/benchmarks.md, P9).
 */
import { writeFileSync } from 'node:fs';
import { podSpecCheckCode } from '../dist/workload/pod-spec-check-code.js';

writeFileSync(new URL('../src/workload/pod-spec-check.generated.ts', import.meta.url), podSpecCheckCode());
