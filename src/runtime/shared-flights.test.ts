import t from 'tap';
import { createSharedFlights } from './shared-flights.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

t.test('concurrent callers of one key share one piece of work', async (t) => {
  const flights = createSharedFlights<string>();
  const gate = deferred<string>();
  let started = 0;
  const work = () => {
    started++;
    return gate.promise;
  };
  const answers = [1, 2, 3].map(() => flights.join('k', new AbortController().signal, work, () => 'abandoned'));
  t.ok(flights.has('k'));
  gate.resolve('done');
  t.same(await Promise.all(answers), ['done', 'done', 'done']);
  t.equal(started, 1);
  t.notOk(flights.has('k'), 'finished work is forgotten');
});

t.test('a caller whose signal aborts leaves; the others still get the answer and the work goes on', async (t) => {
  const flights = createSharedFlights<string>();
  const gate = deferred<string>();
  let workSignal: AbortSignal | undefined;
  const work = (signal: AbortSignal) => {
    workSignal = signal;
    return gate.promise;
  };
  const impatient = new AbortController();
  const first = flights.join('k', impatient.signal, work, () => 'abandoned');
  const second = flights.join('k', new AbortController().signal, work, () => 'abandoned');
  impatient.abort();
  t.equal(await first, 'abandoned');
  t.equal(workSignal?.aborted, false);
  gate.resolve('done');
  t.equal(await second, 'done');
});

t.test('when every caller gave up, the work is aborted and the next caller starts afresh', async (t) => {
  const flights = createSharedFlights<string>();
  const signals: AbortSignal[] = [];
  const work = (signal: AbortSignal) => {
    signals.push(signal);
    return new Promise<string>(() => {});
  };
  const caller = new AbortController();
  const answer = flights.join('k', caller.signal, work, () => 'abandoned');
  caller.abort();
  t.equal(await answer, 'abandoned');
  t.equal(signals[0]?.aborted, true);
  t.notOk(flights.has('k'));
  void flights.join('k', new AbortController().signal, work, () => 'abandoned');
  t.equal(signals.length, 2, 'new work, not the dead flight');
  flights.abortAll();
  t.equal(signals[1]?.aborted, true, 'abortAll stops running work');
});

t.test('an already aborted caller starts nothing; rejected work answers abandoned', async (t) => {
  const flights = createSharedFlights<string>();
  let started = 0;
  const aborted = AbortSignal.abort();
  t.equal(
    await flights.join(
      'k',
      aborted,
      async () => `${++started}`,
      () => 'abandoned',
    ),
    'abandoned',
  );
  t.equal(started, 0);
  const failing = () => Promise.reject(new Error('boom'));
  t.equal(await flights.join('x', new AbortController().signal, failing, () => 'abandoned'), 'abandoned');
  t.notOk(flights.has('x'));
});
