/** docs/ci.md and the `check` contract stay in step: every record field, outcome and exit code is documented. */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { CheckRecordSchema, ErrorRecordSchema, SkipRecordSchema } from './record-schema.js';
import { EXIT_ALLOWED, EXIT_DENIED, EXIT_INPUT_ERROR } from '../../src/cli/check-cli.js';
import { OUTCOMES } from '../../src/resolution/resolution.js';

const doc = readFileSync(new URL('../../docs/ci.md', import.meta.url), 'utf8');

t.test('every JSON record field is in the field table', async (t) => {
  for (const field of Object.keys(CheckRecordSchema.properties)) t.match(doc, `| \`${field}\` |`, field);
});

t.test('every outcome value is documented', async (t) => {
  for (const outcome of [...OUTCOMES, 'not-checked']) t.match(doc, `\`${outcome}\``, outcome);
});

t.test('every exit code is documented', async (t) => {
  for (const code of [EXIT_ALLOWED, EXIT_DENIED, EXIT_INPUT_ERROR])
    t.match(doc, new RegExp(`^\\| ${code} \\| `, 'm'), `exit ${code}`);
});

t.test('every field of error and skip records is named', async (t) => {
  const section = doc.slice(doc.indexOf('**Error records**'));
  for (const field of [...Object.keys(ErrorRecordSchema.properties), ...Object.keys(SkipRecordSchema.properties)])
    t.match(section, `\`${field}\``, field);
});
