/**
 * P10 (reported): how long `pullguard serve` takes from process spawn to its first `/readyz` 200, without a
 * Kubernetes API (`credentials.kubernetes: false`), beside the bare fastify route of P1 (bench/lib/baseline-server.mjs)
 * from spawn to its first 200, both with the node flags of the Dockerfile ENTRYPOINT. Starts alternate so a slow
 * moment of the machine does not always hit the same side; `/readyz` is polled every 2 ms, so each start is known to
 * within a few ms.
 */
import { startBaseline } from '../lib/baseline-process.js';
import type { BenchEnv } from '../lib/environment.js';
import { median } from '../lib/load.js';
import { productionNodeFlags } from '../lib/production-node-flags.js';
import { startPullguard } from '../lib/pullguard-process.js';
import type { FigureRow } from '../lib/report.js';

const STARTS = 7;
const POLL_MS = 2;

export async function measureTimeToReady(env: BenchEnv): Promise<FigureRow[]> {
  const { repoRoot } = env.settings;
  const nodeFlags = productionNodeFlags(repoRoot);
  const pullguard: number[] = [];
  const baseline: number[] = [];
  const startPullguardOnce = async (i: number) => {
    const server = await startPullguard({
      name: `pullguard-ready-${i}`,
      repoRoot,
      workDir: env.workDir,
      certDir: env.certDir,
      config: env.serverConfig,
      readyPollMs: POLL_MS,
      ...(env.settings.serverNodeFlags ? { nodeFlags: env.settings.serverNodeFlags } : {}),
    });
    pullguard.push(server.readyMs);
    await server.stop();
  };
  const startBaselineOnce = async () => {
    const server = await startBaseline({
      repoRoot,
      certDir: env.certDir,
      caPem: env.caPem,
      nodeFlags,
      readyPollMs: POLL_MS,
    });
    baseline.push(server.readyMs);
    await server.stop();
  };
  for (let i = 0; i < STARTS; i += 1) {
    if (i % 2 === 0) {
      await startPullguardOnce(i);
      await startBaselineOnce();
    } else {
      await startBaselineOnce();
      await startPullguardOnce(i);
    }
  }
  const list = (values: readonly number[]) => values.map((v) => v.toFixed(0)).join(', ');
  env.settings.log(`P10: pullguard ${list(pullguard)} ms; bare route ${list(baseline)} ms`);
  return [
    {
      id: 'P10',
      figure: '`serve` spawn to first /readyz 200 (no Kubernetes API) ÷ the bare route spawn to its first 200',
      value: `${median(pullguard).toFixed(0)} ms`,
      baseline: `${median(baseline).toFixed(0)} ms`,
      ratio: median(pullguard) / median(baseline),
      target: 'reported',
      pass: 'reported',
      notes: [
        `median of ${STARTS} alternating starts each, polled every ${POLL_MS} ms: pullguard ${list(pullguard)} ms; bare route ${list(baseline)} ms`,
        `both run with the Dockerfile ENTRYPOINT's node flags (${nodeFlags.join(' ')}); the bare route's /readyz is HTTPS (one TLS handshake in its figure), pullguard's is plain HTTP on the health port`,
      ],
    },
  ];
}
