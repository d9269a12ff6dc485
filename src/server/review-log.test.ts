import t from 'tap';
import type { AdmissionRequest } from '../admission/review-schema.js';
import type { ReviewOutcome } from '../review/review-object.js';
import { logReview, reviewLogLevel } from './review-log.js';

type Reviewed = Extract<ReviewOutcome, { status: 'reviewed' }>;
type Decided = Reviewed['decision']['findings'][number];

function reviewed(verdict: Reviewed['decision']['verdict'], findings: readonly Decided[] = []): ReviewOutcome {
  return {
    status: 'reviewed',
    objectLabel: 'Deployment shop/web',
    checkedUses: 1,
    uses: [],
    decision: { verdict, findings },
  };
}

function finding(cls: Decided['class'], verdict: Decided['verdict']): Decided {
  return { class: cls, cause: 'a cause.', short: 'a short', verdict };
}

const skipped: ReviewOutcome = { status: 'skipped', reason: 'DELETE is not checked' };

t.test(
  'findings: deny, warn, failed open, unfinished and malformed at info; skips and clean allows at debug',
  async (t) => {
    const cases: [string, ReviewOutcome | undefined, string, 'info' | 'debug'][] = [
      ['a deny', reviewed('deny', [finding('notFound', 'deny')]), 'deny', 'info'],
      ['a warn', reviewed('warn', [finding('latestTag', 'warn')]), 'warn', 'info'],
      [
        'an unreachable registry the policy allows',
        reviewed('allow', [finding('unreachable', 'allow')]),
        'allow',
        'info',
      ],
      ['a timeout the policy allows', reviewed('allow', [finding('timeout', 'allow')]), 'allow', 'info'],
      ['a rate limit the policy allows', reviewed('allow', [finding('rateLimited', 'allow')]), 'allow', 'info'],
      ['a reviewer that failed', undefined, 'warn', 'info'],
      ['a malformed object', { status: 'invalid', problem: 'spec.containers must be array' }, 'allow', 'info'],
      ['a clean allow', reviewed('allow'), 'allow', 'debug'],
      ['a finding the policy allows', reviewed('allow', [finding('latestTag', 'allow')]), 'allow', 'debug'],
      [
        'node credentials the policy allows',
        reviewed('allow', [finding('nodeCredentials', 'allow')]),
        'allow',
        'debug',
      ],
      ['a skip', skipped, 'allow', 'debug'],
    ];
    for (const [name, outcome, verdict, level] of cases) {
      t.equal(reviewLogLevel(outcome, verdict, 'findings'), level, `${name}: ${level}`);
      t.equal(reviewLogLevel(outcome, verdict, 'all'), 'info', `${name}: info with reviews: all`);
    }
  },
);

interface Written {
  readonly level: string;
  readonly msg: string;
  readonly fields: Record<string, unknown>;
}

function recorder(enabled: readonly string[]): { log: Parameters<typeof logReview>[0]; written: Written[] } {
  const written: Written[] = [];
  const write = (level: string) => (fields: object, msg: string) =>
    void written.push({ level, msg, fields: fields as Record<string, unknown> });
  return {
    written,
    log: { isLevelEnabled: (level) => enabled.includes(level), info: write('info'), debug: write('debug') },
  };
}

/** An admission whose object records every read of its metadata: building the line reads it. */
function watchedAdmission(): { admission: AdmissionRequest; reads: () => number } {
  let reads = 0;
  const object = {
    get metadata() {
      reads++;
      return { name: 'web' };
    },
  };
  const admission: AdmissionRequest = {
    uid: 'u-1',
    kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    namespace: 'shop',
    operation: 'CREATE',
    object,
  };
  return { admission, reads: () => reads };
}

t.test('a line its logger would drop is not built: the object is not even read', async (t) => {
  const { log, written } = recorder(['info']);
  const { admission, reads } = watchedAdmission();
  logReview(log, 'findings', admission, reviewed('allow'), 'allow', 1.234);
  logReview(log, 'findings', admission, skipped, 'allow', 1);
  t.same(written, [], 'nothing written at info');
  t.equal(reads(), 0, 'no metadata read for a dropped line');
  logReview(log, 'all', admission, reviewed('allow'), 'allow', 1.234);
  t.equal(reads(), 1, 'built once it is written');
  t.match(written, [
    { level: 'info', msg: 'review', fields: { uid: 'u-1', name: 'web', decision: 'allow', durationMs: 1.23 } },
  ]);
});

t.test('each line goes out at its level; a failed reviewer is marked', async (t) => {
  const { log, written } = recorder(['info', 'debug']);
  const { admission } = watchedAdmission();
  logReview(log, 'findings', admission, reviewed('allow'), 'allow', 1);
  logReview(log, 'findings', admission, skipped, 'allow', 1);
  logReview(log, 'findings', admission, reviewed('warn', [finding('latestTag', 'warn')]), 'warn', 1);
  logReview(log, 'findings', admission, undefined, 'warn', 1);
  t.same(
    written.map((w) => [w.level, w.msg]),
    [
      ['debug', 'review'],
      ['debug', 'review'],
      ['info', 'review'],
      ['info', 'review'],
    ],
  );
  t.match(written[1]?.fields, { skipped: 'DELETE is not checked', findings: [] });
  t.match(written[2]?.fields, { decision: 'warn', findings: [{ class: 'latestTag', action: 'warn' }] });
  t.notOk('internalError' in (written[2]?.fields ?? {}), 'only a failed reviewer is marked');
  t.match(written[3]?.fields, { decision: 'warn', internalError: true, findings: [] });
});

t.test('a logger above info writes no review line at all', async (t) => {
  const { log, written } = recorder(['warn']);
  const { admission, reads } = watchedAdmission();
  logReview(log, 'all', admission, reviewed('deny', [finding('notFound', 'deny')]), 'deny', 1);
  t.same(written, []);
  t.equal(reads(), 0);
});
