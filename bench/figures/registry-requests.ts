/**
 * P3 (manifest requests per cold image, with Bearer tokens reused per repository scope and credential) and P4 (200
 * concurrent reviews of one uncached image make exactly one manifest request). Both count requests in the real
 * registry's own access log, so nothing in pullguard reports on itself.
 */
import { pushImage } from '../../test/harness/registry/index.js';
import { deploymentReview, describeAnswer, isCleanAllow, VALIDATE_PATH } from '../lib/admission-review.js';
import type { BenchEnv } from '../lib/environment.js';
import { cleanAllowMs, openPool } from '../lib/load.js';
import { cacheCounts } from '../lib/prometheus.js';
import type { PullguardProcess } from '../lib/pullguard-process.js';
import type { FigureRow } from '../lib/report.js';

const P3_REPOSITORIES = ['p3/api', 'p3/web', 'p3/jobs'];
const P3_TAGS = ['1.0.0', '1.0.1', '1.1.0', '2.0.0'];
const P4_REVIEWS = 200;

export async function measureRequestsPerImage(env: BenchEnv, server: PullguardProcess): Promise<FigureRow[]> {
  const { token } = env;
  for (const repository of P3_REPOSITORIES)
    await pushImage(token, { repository, tags: P3_TAGS, format: 'oci-manifest' });
  const tokenLog = token.tokenServer?.requestLog ?? (() => []);
  const before = {
    manifests: await token.manifestRequests(),
    tokens: tokenLog().length,
    log: (await token.accessLog()).length,
  };
  // Two Deployments, each with two tags of every repository: images of one repository run concurrently within a
  // review and again in the next review; one token per repository scope should serve them all.
  const halves = [P3_TAGS.slice(0, 2), P3_TAGS.slice(2)];
  const pool = openPool({ origin: server.origin, caPem: env.caPem }, 1);
  try {
    for (const [i, tags] of halves.entries()) {
      const images = P3_REPOSITORIES.flatMap((repository) => tags.map((tag) => `${token.host}/${repository}:${tag}`));
      await cleanAllowMs(pool, deploymentReview({ images, name: `p3-${i}` }), 'review');
    }
  } finally {
    await pool.close();
  }
  const images = P3_REPOSITORIES.length * P3_TAGS.length;
  const manifests = (await token.manifestRequests()) - before.manifests;
  const tokenRequests = tokenLog().slice(before.tokens);
  const perScope = new Map<string, number>();
  for (const record of tokenRequests) {
    const key = `${record.user ?? 'anonymous'} ${record.scopes.join(' ')}`;
    perScope.set(key, (perScope.get(key) ?? 0) + 1);
  }
  const registryLog = (await token.accessLog()).slice(before.log);
  const pings = registryLog.filter((entry) => entry.uri === '/v2/').length;
  const unauthorizedManifests = registryLog.filter(
    (entry) => entry.uri.includes('/manifests/') && entry.status === 401,
  ).length;
  const ratio = manifests / images;
  return [
    {
      id: 'P3',
      figure: 'registry manifest requests per cold image (token auth, 3 repositories x 4 tags)',
      value: `${manifests} requests`,
      baseline: `${images} images`,
      ratio,
      target: '1.0',
      pass: ratio === 1,
      notes: [
        `token requests: ${tokenRequests.length} for ${perScope.size} repository scope(s): ${[...perScope].map(([scope, n]) => `${scope} x${n}`).join('; ')}`,
        `other registry requests: ${pings} GET /v2/ (challenge discovery), ${unauthorizedManifests} manifest requests answered 401`,
      ],
    },
  ];
}

export async function measureCoalescing(env: BenchEnv, server: PullguardProcess): Promise<FigureRow[]> {
  await pushImage(env.plain, { repository: 'coalesce/app', tags: ['3.1.4'], format: 'oci-manifest' });
  const body = deploymentReview({ images: [`${env.proxy.host}/coalesce/app:3.1.4`], name: 'coalesce' });
  const pool = openPool({ origin: server.origin, caPem: env.caPem }, P4_REVIEWS);
  try {
    // Open all connections (TLS handshakes) first, so the reviews arrive together rather than one handshake apart.
    await Promise.all(
      Array.from({ length: P4_REVIEWS }, async () => (await pool.request({ path: '/', method: 'GET' })).body.dump()),
    );
    const manifestsBefore = await env.plain.manifestRequests();
    const cacheBefore = cacheCounts(await server.metrics());
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: P4_REVIEWS }, async () => {
        const response = await pool.request({
          path: VALIDATE_PATH,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        return { statusCode: response.statusCode, text: await response.body.text() };
      }),
    );
    const elapsed = performance.now() - started;
    const bad = answers.filter((a) => !isCleanAllow(a.statusCode, a.text));
    const manifests = (await env.plain.manifestRequests()) - manifestsBefore;
    const cacheAfter = cacheCounts(await server.metrics());
    return [
      {
        id: 'P4',
        figure: `coalescing: ${P4_REVIEWS} concurrent reviews of one uncached image`,
        value: `${manifests} request${manifests === 1 ? '' : 's'}`,
        baseline: '1 request',
        ratio: manifests,
        target: 'exactly 1',
        pass: manifests === 1 && bad.length === 0,
        notes: [
          `${P4_REVIEWS} reviews on ${P4_REVIEWS} pre-opened connections answered in ${elapsed.toFixed(0)} ms; ${bad.length} not a clean allow${bad[0] ? ` (first: ${describeAnswer(bad[0].statusCode, bad[0].text)})` : ''}`,
          `cache: ${cacheAfter.miss - cacheBefore.miss} miss, ${cacheAfter.coalesced - cacheBefore.coalesced} coalesced, ${cacheAfter.hit - cacheBefore.hit} hits`,
        ],
      },
    ];
  } finally {
    await pool.close();
  }
}
