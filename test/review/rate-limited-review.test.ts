/**
 * A review under `network.requestsPerSecondPerRegistry` against the real Distribution registry: images whose turn
 * would come after the review's deadline end as timeouts, the review fails open inside its budget, and their
 * requests are never sent.
 */
import t from 'tap';
import { pushImage, startRegistry, type RegistryHandle } from '../harness/registry/index.js';
import { admissionReview, deployment, startWebhookUnderTest } from '../helpers/engine-webhook.js';

let reg: RegistryHandle;
t.before(async () => {
  reg = await startRegistry({ mode: 'plain' });
});
t.teardown(() => reg.stop());

function findings(answer: { body: any }): { class: string; outcome?: string }[] {
  const text = answer.body.response?.auditAnnotations?.findings;
  return text ? JSON.parse(text) : [];
}

t.test('a review whose images would wait past its deadline fails open as timeouts', async (t) => {
  const tags = ['v1', 'v2', 'v3', 'v4'];
  await pushImage(reg, { repository: 'rate/review', tags, format: 'oci-manifest' });
  const webhook = await startWebhookUnderTest({
    config: {
      registries: [{ host: '127.0.0.1:*', plainHttp: true }],
      credentials: { kubernetes: false },
      network: { requestsPerSecondPerRegistry: 1 },
    },
  });
  t.teardown(() => webhook.close());
  const heads = await reg.manifestRequests('HEAD');

  // One token a second: GET /v2/ takes the first, each HEAD waits a second more. The budget is 2 s - 1 s.
  const images = tags.map((tag) => `${reg.host}/rate/review:${tag}`);
  const answer = await webhook.review(admissionReview(deployment('rated', images)), { timeout: '2s' });
  t.ok(answer.elapsedMs < 2_000, `answered inside the 2 s timeout (${Math.round(answer.elapsedMs)} ms)`);
  t.equal(answer.body.response.allowed, true, 'admitted: a timeout never denies');
  const classes = findings(answer).map((f) => f.class);
  t.ok(classes.length >= 3 && classes.every((c) => c === 'timeout'), `timeouts only: ${classes.join(', ')}`);
  t.ok((await reg.manifestRequests('HEAD')) - heads <= 1, 'the HEADs whose turn never came were not sent');
});
