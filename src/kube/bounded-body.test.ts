import t from 'tap';
import { readBoundedJson } from './bounded-body.js';

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });
}

const live = () => new AbortController().signal;

t.test('reads JSON split over chunks', async (t) => {
  t.same(await readBoundedJson(streamOf('{"items":', '[1,', '2]}'), live()), { items: [1, 2] });
});

t.test('missing, malformed or too large bodies are undefined', async (t) => {
  t.equal(await readBoundedJson(null, live()), undefined);
  t.equal(await readBoundedJson(streamOf('{"items":'), live()), undefined);
  t.equal(await readBoundedJson(streamOf('"0123456789"'), live(), 11), undefined, 'one byte over');
  t.equal(await readBoundedJson(streamOf('"012345678"'), live(), 11), '012345678', 'at the ceiling');
});

t.test('an aborted signal stops the read', async (t) => {
  const controller = new AbortController();
  controller.abort(new Error('stop'));
  await t.rejects(readBoundedJson(streamOf('{}'), controller.signal), { message: 'stop' });
});
