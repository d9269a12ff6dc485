import t from 'tap';
import { createJsonWriter } from './render-json.js';
import type { OutputRecord } from './output-records.js';

const skip = (line: number, message: string): OutputRecord => ({
  record: 'skip',
  file: 'a.yaml',
  line,
  object: null,
  message,
});

function written(batches: ReadonlyArray<readonly OutputRecord[]>): { text: string; chunks: number } {
  let text = '';
  let chunks = 0;
  const writer = createJsonWriter((chunk) => {
    text += chunk;
    chunks += 1;
  });
  for (const batch of batches) writer.write(batch);
  writer.finish();
  return { text, chunks };
}

t.test('one JSON document, as JSON.stringify writes the whole array, however the records come', async (t) => {
  const records = [skip(1, 'one'), skip(2, 'two "quoted"\nand a new line'), skip(3, 'three')];
  for (const batches of [[records], [[records[0]!], [], [records[1]!, records[2]!]], records.map((r) => [r])]) {
    const { text } = written(batches);
    t.equal(text, `${JSON.stringify(records, null, 2)}\n`);
    t.same(JSON.parse(text), records);
  }
});

t.test('no records: []', async (t) => {
  t.equal(written([]).text, '[]\n');
  t.equal(written([[], []]).text, '[]\n');
});

t.test('each record is written when it comes, not at the end', async (t) => {
  const out: string[] = [];
  const writer = createJsonWriter((chunk) => out.push(chunk));
  writer.write([skip(1, 'one')]);
  t.equal(out.length, 1, 'the first record is out before the next one is known');
  t.match(out[0], /^\[\n {2}\{/);
  writer.finish();
  t.same(JSON.parse(out.join('')), [skip(1, 'one')]);
});
