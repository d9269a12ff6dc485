/**
 * P2: cold fan-out. The latency of a review of a Deployment with 10 distinct uncached images ÷ the same with 1 image,
 * against the plain registry behind the 50 ms-per-request proxy. Fresh tags every round keep every image cold; a
 * Deployment whose images are resolved one after another would take ~10× as long, resolved in parallel ~1×.
 */
import { pushImage } from '../../test/harness/registry/index.js';
import { deploymentReview } from '../lib/admission-review.js';
import { PROXY_DELAY_MS, type BenchEnv } from '../lib/environment.js';
import { cleanAllowMs, median, openPool } from '../lib/load.js';
import { counterValue } from '../lib/prometheus.js';
import type { PullguardProcess } from '../lib/pullguard-process.js';
import type { FigureRow } from '../lib/report.js';

const IMAGES = 10;
const ROUNDS = 7;
const P2_TARGET = 1.3;

export async function measureFanOut(env: BenchEnv, server: PullguardProcess): Promise<FigureRow[]> {
  const rounds = ['warm-up', ...Array.from({ length: ROUNDS }, (_, r) => `r${r}`)];
  for (let k = 0; k < IMAGES; k += 1) {
    const tags = rounds.flatMap((round) => (k === 0 ? [`${round}-ten`, `${round}-one`] : [`${round}-ten`]));
    await pushImage(env.plain, { repository: `fanout/app-${k}`, tags, format: 'oci-manifest' });
  }
  const image = (k: number, tag: string) => `${env.proxy.host}/fanout/app-${k}:${tag}`;
  const pool = openPool({ origin: server.origin, caPem: env.caPem }, 1);
  const ten: number[] = [];
  const one: number[] = [];
  const proxyBefore = env.proxy.requests();
  const registryTime = async () => {
    const text = await server.metrics();
    const metric = 'pullguard_registry_request_duration_seconds';
    return { seconds: counterValue(text, `${metric}_sum`), count: counterValue(text, `${metric}_count`) };
  };
  let registryBefore = await registryTime();
  try {
    for (const [index, round] of rounds.entries()) {
      const tenImages = Array.from({ length: IMAGES }, (_, k) => image(k, `${round}-ten`));
      const oneImage = [image(0, `${round}-one`)];
      // Alternate which goes first, so a slow moment of the machine does not always hit the same side.
      const order =
        index % 2 === 0
          ? ([
              ['ten', tenImages],
              ['one', oneImage],
            ] as const)
          : ([
              ['one', oneImage],
              ['ten', tenImages],
            ] as const);
      for (const [which, images] of order) {
        const ms = await cleanAllowMs(pool, deploymentReview({ images, name: `fan-${round}-${which}` }), 'cold review');
        if (round === 'warm-up') {
          registryBefore = await registryTime();
          continue;
        }
        (which === 'ten' ? ten : one).push(ms);
      }
    }
  } finally {
    await pool.close();
  }
  const proxied = env.proxy.requests() - proxyBefore;
  const registryAfter = await registryTime();
  const registryMeanMs =
    ((registryAfter.seconds - registryBefore.seconds) * 1000) / (registryAfter.count - registryBefore.count);
  const ratio = median(ten) / median(one);
  env.settings.log(`P2: 10 images ${median(ten).toFixed(1)} ms, 1 image ${median(one).toFixed(1)} ms`);
  return [
    {
      id: 'P2',
      figure: `cold fan-out: ${IMAGES} uncached images ÷ 1, registry +${PROXY_DELAY_MS} ms/request`,
      value: `${median(ten).toFixed(1)} ms`,
      baseline: `${median(one).toFixed(1)} ms`,
      ratio,
      target: `<= ${P2_TARGET}`,
      pass: ratio <= P2_TARGET,
      notes: [
        `median of ${ROUNDS} rounds (after a warm-up round), fresh tags each round; 10 images: ${ten.map((v) => v.toFixed(0)).join(', ')} ms; 1 image: ${one.map((v) => v.toFixed(0)).join(', ')} ms`,
        `${proxied} registry requests went through the proxy (${(proxied / ((ROUNDS + 1) * (IMAGES + 1))).toFixed(2)} per cold image); as pullguard measured them (incl. the ${PROXY_DELAY_MS} ms): mean ${registryMeanMs.toFixed(1)} ms`,
      ],
    },
  ];
}
