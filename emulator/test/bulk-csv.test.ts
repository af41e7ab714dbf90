// The Bulk API's CSV reader and value formatting, unit by unit: quoting per RFC 4180 as the
// Bulk API 2.0 Developer Guide ("Prepare CSV Files", "Sample CSV Files") describes it, the six
// delimiters, line-ending checks, `#N/A`, and Java's Double.toString for result values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { CsvError, parseCsv } from '../src/bulk/csv.js';
import { NULL_MARKER, cellValue, javaDouble } from '../src/bulk/values.js';
import { startHarness } from './bulk-harness.js';

test('quoted values: delimiters, doubled quotes and line breaks inside quotes', () => {
  assert.deepEqual(parseCsv('a,b,c\n"x,1","say ""hi""","line\nbreak"\n', ',', 'LF'), [
    ['a', 'b', 'c'],
    ['x,1', 'say "hi"', 'line\nbreak'],
  ]);
});

test('values are not trimmed; a quote inside an unquoted value is a plain character', () => {
  // Guide: "Field values aren't trimmed. A space before or after a delimiter is included."
  assert.deepEqual(parseCsv('John, Smith,ab"c\n', ',', 'LF'), [['John', ' Smith', 'ab"c']]);
});

test('empty values, trailing delimiters, blank lines and a missing final line break', () => {
  assert.deepEqual(parseCsv('a,b,c\n1,,\n\n2,x,y', ',', 'LF'), [
    ['a', 'b', 'c'],
    ['1', '', ''],
    ['2', 'x', 'y'],
  ]);
  assert.deepEqual(parseCsv('a\n""\n', ',', 'LF'), [['a'], ['']]);
});

test('every documented delimiter', () => {
  for (const d of ['`', '^', ',', '|', ';', '\t']) {
    assert.deepEqual(parseCsv(`a${d}b\n"1${d}2"${d}3\n`, d, 'LF'), [
      ['a', 'b'],
      [`1${d}2`, '3'],
    ]);
  }
});

test('line endings must match the job; CRLF inside quotes is data', () => {
  assert.deepEqual(parseCsv('a,b\r\n"1\r\n2",3\r\n', ',', 'CRLF'), [
    ['a', 'b'],
    ['1\r\n2', '3'],
  ]);
  assert.throws(
    () => parseCsv('a,b\r\n1,2\r\n', ',', 'LF'),
    (e: unknown) =>
      e instanceof CsvError &&
      e.message === 'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF',
  );
  assert.throws(() => parseCsv('a,b\n1,2\n', ',', 'CRLF'), /Current LineEnding setting is CRLF/);
  assert.throws(() => parseCsv('a\n"open\n', ',', 'LF'), CsvError);
});

test('a byte-order mark is ignored', () => {
  assert.deepEqual(parseCsv('\ufeffName\nA\n', ',', 'LF'), [['Name'], ['A']]);
});

test('cells by field type: empty leaves the field out, #N/A is null', () => {
  const text = { name: 'Name', type: 'string' as const };
  assert.equal(cellValue('', text, 1), undefined);
  assert.equal(cellValue(NULL_MARKER, text, 1), null);
  assert.equal(cellValue('true', { name: 'B', type: 'boolean' }, 1), true);
  assert.equal(cellValue('0', { name: 'B', type: 'boolean' }, 1), false);
  assert.equal(cellValue('42', { name: 'I', type: 'int' }, 1), 42);
  assert.equal(cellValue('1.5E3', { name: 'D', type: 'double' }, 1), 1500);
  // Guide, "Valid Date Format in Records": dateTime with offset or Z; the sample writes dates as 1940-06-07Z.
  assert.equal(
    cellValue('2002-10-10T12:00:00+05:00', { name: 'T', type: 'datetime' }, 1),
    '2002-10-10T07:00:00.000+0000',
  );
  assert.equal(
    cellValue('2002-10-10T00:00:00+05:00', { name: 'T', type: 'datetime' }, 1),
    '2002-10-09T19:00:00.000+0000',
  );
  assert.equal(cellValue('1940-06-07Z', { name: 'D', type: 'date' }, 1), '1940-06-07');
  assert.throws(
    () => cellValue('maybe', { name: 'B', type: 'boolean' }, 4),
    /Failed to deserialize field at col 4\. Due to, 'maybe' is not a valid value for the type xsd:boolean/,
  );
});

test('doubles print the way Java prints them', () => {
  // Guide, "Step 3: Bulk Insert" successfulResults: 912260031 → "9.12260031E8", 71664061 → "7.1664061E7".
  assert.equal(javaDouble(912260031), '9.12260031E8');
  assert.equal(javaDouble(71664061), '7.1664061E7');
  assert.equal(javaDouble(10000000), '1.0E7');
  assert.equal(javaDouble(2676), '2676.0');
  assert.equal(javaDouble(0.5), '0.5');
  assert.equal(javaDouble(0.0001), '1.0E-4');
  assert.equal(javaDouble(-42.25), '-42.25');
  assert.equal(javaDouble(0), '0.0');
});

test('an upload over 100 MB is refused with 413 before the body is read', async () => {
  const h = await startHarness();
  try {
    const created = await h.http('/jobs/ingest', { method: 'POST', body: { object: 'Lead', operation: 'insert' } });
    const url = new URL(`${h.url}/services/data/v62.0/jobs/ingest/${created.json.id}/batches`);
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'PUT',
          headers: {
            Authorization: `Bearer ${h.token}`,
            'Content-Type': 'text/csv',
            'Content-Length': String(100 * 1024 * 1024 + 1),
          },
        },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => {
            clearTimeout(timer);
            req.destroy();
            resolve({ status: res.statusCode ?? 0, body });
          });
        },
      );
      req.on('error', reject);
      req.write('LastName,Company\n');
      // The server answers without waiting for the rest of the declared body.
      timer = setTimeout(() => req.destroy(), 5000);
    });
    assert.equal(status.status, 413);
    assert.equal(JSON.parse(status.body)[0].errorCode, 'REQUEST_ENTITY_TOO_LARGE');
  } finally {
    await h.close();
  }
});
