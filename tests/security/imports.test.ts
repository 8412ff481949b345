import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';
import {
  dropStockRevision,
  ImportError,
  importCatalogue,
  importIndicatorSeries,
  importStock,
} from '../../services/migration-data/src/import';
import { type ImportFixture, openImportFixture } from '../support/importFixture';

// Imports read files that come from outside: each text cell gets the caps a mutation input gets,
// a line has a fixed maximum (64 KiB) checked as the bytes arrive, and what an error shows of the
// file is cut short and escaped.

const CATALOGUE_HEADER = 'code,name,unit,definition,allow_negative,source,source_url,confidence';
const REFERENCE_CATALOGUE_HEADER = 'code,name,unit,definition,source,source_url,licence,confidence,negatives_allowed';
const SERIES_HEADER = 'indicator,country_iso3,year,value,unit,source,confidence';
const STOCK_HEADER = 'destination_iso3,origin_iso3,year,sex,stock';
const GOOD_ENTRY =
  'SEC_FIRST,Count (security test),persons,A count that the security tests load.,false,Security test,,unverified';

let fixture: ImportFixture;
let client: Client;
let dir: string;
beforeAll(async () => {
  fixture = await openImportFixture('mg-sec-import-');
  ({ client, dir } = fixture);
});
afterAll(async () => {
  await client.query(`DELETE FROM "data"."indicator" WHERE code LIKE 'SEC\\_%'`);
  await client.query(`DELETE FROM "data"."import_log" WHERE kind = 'indicators' AND target LIKE 'SEC\\_%'`);
  await dropStockRevision(client, 't_sec');
  await fixture.close();
});

function file(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

async function failure(p: Promise<unknown>): Promise<ImportError> {
  const error = await p.then(
    () => new Error('the import succeeded'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

/** What the refused files below would have written (SEC_COUNT is the one entry a test loads on purpose). */
const catalogue = async () =>
  (await client.query(`SELECT code FROM "data"."indicator" WHERE code LIKE 'SEC\\_%' AND code <> 'SEC_COUNT' ORDER BY 1`)).rows;

/**
 * A named pipe fed with `header` and then `bytes` bytes of 'x' with no line break, a mebibyte at a
 * time: a file of any size that never exists on disk. Reports how much the reader took before it
 * closed its end.
 */
function endlessLine(name: string, header: string, bytes: number): { path: string; written: () => number; done: Promise<void> } {
  const fifo = path.join(dir, name);
  execFileSync('mkfifo', [fifo]);
  let written = 0;
  const chunk = Buffer.alloc(1 << 20, 'x');
  const done = (async () => {
    const out = fs.createWriteStream(fifo);
    try {
      await once(out, 'open');
      out.write(`${header}\n`);
      while (written < bytes) {
        written += chunk.length;
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
    } catch {
      // The reader closed the pipe (EPIPE): it stopped reading, which is the point.
    } finally {
      out.destroy();
    }
  })();
  return { path: fifo, written: () => written, done };
}

/** Runs `fn` while sampling the process's resident memory; returns its result or error, the time and the growth. */
async function measured<T>(fn: () => Promise<T>): Promise<{ outcome: T | unknown; ms: number; rssGrowth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const started = Date.now();
  const outcome = await fn().catch((e: unknown) => e);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { outcome, ms: Date.now() - started, rssGrowth: peak - before };
}

const TWO_GB = 2 * 1024 ** 3;
const MiB = 1024 * 1024;

describe('imports refuse oversized text', () => {
  it('rejects a catalogue name longer than a mutation accepts, naming the line and the field, and writes nothing', async () => {
    const name = 'N'.repeat(5000);
    const f = file(
      'long-name.csv',
      `${CATALOGUE_HEADER}\n${GOOD_ENTRY}\nSEC_LONG,${name},persons,Long.,false,Security test,,unverified\n`,
    );
    const error = await failure(withCatalogue(f));
    expect(error.rejects.map((r) => [r.line, r.reason])).toEqual([[3, 'name must have at most 300 characters, got 5000']]);
    expect(error.message.split('\n')[1]).toBe('  long-name.csv line 3: name must have at most 300 characters, got 5000');
    expect(await catalogue()).toEqual([]);
  });

  it('caps every text cell of the catalogue and of a series like the matching mutation input (definition, source, source_url, unit)', async () => {
    const f = file(
      'long-cells.csv',
      [
        CATALOGUE_HEADER,
        `SEC_A,A,persons,${'d'.repeat(4001)},false,Security test,,unverified`,
        `SEC_B,B,persons,B.,false,${'s'.repeat(2001)},,unverified`,
        `SEC_C,C,persons,C.,false,Security test,https://example.org/${'u'.repeat(2000)},unverified`,
        `SEC_E,E,${'p'.repeat(101)},E.,false,Security test,,unverified`,
      ].join('\n'),
    );
    const error = await failure(withCatalogue(f));
    expect(error.rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, 'definition must have at most 4000 characters, got 4001'],
      [3, 'source must have at most 2000 characters, got 2001'],
      [4, 'source_url must have at most 2000 characters'],
      [5, 'unit must have at most 100 characters, got 101'],
    ]);

    await withCatalogue(file('good-entry.csv', `${CATALOGUE_HEADER}\n${GOOD_ENTRY.replace('SEC_FIRST', 'SEC_COUNT')}\n`));
    const series = file('long-source.csv', `${SERIES_HEADER}\nSEC_COUNT,SEN,2019,5,persons,${'s'.repeat(2001)},seen\n`);
    const refused = await failure(withSeries(series));
    expect(refused.rejects.map((r) => [r.line, r.reason])).toEqual([[2, 'source must have at most 2000 characters, got 2001']]);
    expect(
      (await client.query(`SELECT count(*)::int AS n FROM "data"."indicator_value" WHERE indicator_code = 'SEC_COUNT'`)).rows,
    ).toEqual([{ n: 0 }]);
  });

  it('refuses the text a stock revision is cited with when it is longer than a mutation accepts', async () => {
    const f = file('meta.csv', `${STOCK_HEADER}\nSEN,GIN,2020,male,1\n`);
    const error = await failure(
      importStock(client, f, { revision: 't_sec', meta: { title: 'T'.repeat(501), citation: 'C'.repeat(2001) } }),
    );
    expect(error.message).toBe(
      `${f}: the revision's details are invalid: title must have at most 500 characters, got 501; citation must have at most 2000 characters, got 2001; nothing was written`,
    );
    expect((await client.query(`SELECT count(*)::int AS n FROM "data"."stock_revision" WHERE code = 't_sec'`)).rows).toEqual([
      { n: 0 },
    ]);
  });
});

function withCatalogue(f: string) {
  return importCatalogue(client, f);
}
function withSeries(f: string) {
  return importIndicatorSeries(client, f);
}

describe('imports refuse a line over 64 KiB at once', () => {
  it('refuses a catalogue line of 20,000,000 characters with its line number, before reading the rest', async () => {
    const f = file(
      'huge-name.csv',
      `${CATALOGUE_HEADER}\n${GOOD_ENTRY}\nSEC_HUGE,${'N'.repeat(20_000_000)},persons,Huge.,false,Security test,,unverified\n`,
    );
    const { outcome, ms } = await measured(() => withCatalogue(f));
    expect(outcome).toBeInstanceOf(ImportError);
    expect((outcome as Error).message).toBe(
      `${f} line 3: the line is longer than 65,536 bytes, the most a line may have; nothing was written`,
    );
    expect(ms).toBeLessThan(1000);
    expect(await catalogue()).toEqual([]);
  });

  it('fails fast with flat memory on a 2 GB stock stream without line breaks', async () => {
    const feed = endlessLine('stock.fifo', STOCK_HEADER, TWO_GB);
    const { outcome, ms, rssGrowth } = await measured(() => importStock(client, feed.path, { revision: 't_sec' }));
    await feed.done;
    expect(outcome).toBeInstanceOf(ImportError);
    expect((outcome as Error).message).toBe(
      `${feed.path} line 2: the line is longer than 65,536 bytes, the most a line may have; nothing was written`,
    );
    expect({ fast: ms < 2000, read: feed.written() < 16 * MiB, flat: rssGrowth < 64 * MiB }).toEqual({
      fast: true,
      read: true,
      flat: true,
    });
  }, 30000);

  it('fails fast with flat memory on a 2 GB catalogue or series stream without line breaks', async () => {
    for (const [kind, header] of [
      ['catalogue', CATALOGUE_HEADER],
      ['series', SERIES_HEADER],
    ] as const) {
      const feed = endlessLine(`${kind}.fifo`, header, TWO_GB);
      const { outcome, ms, rssGrowth } = await measured(() =>
        kind === 'catalogue' ? withCatalogue(feed.path) : withSeries(feed.path),
      );
      await feed.done;
      expect(outcome).toBeInstanceOf(ImportError);
      expect((outcome as Error).message).toBe(
        `${feed.path} line 2: the line is longer than 65,536 bytes, the most a line may have; nothing was written`,
      );
      expect({ kind, fast: ms < 2000, read: feed.written() < 16 * MiB, flat: rssGrowth < 64 * MiB }).toEqual({
        kind,
        fast: true,
        read: true,
        flat: true,
      });
    }
  }, 30000);
});

describe('import errors show what they quote safely', () => {
  const ESC = '\u001b';
  const evil = `${ESC}]0;owned${'\u0007'}${ESC}[2J${'\u0000'}\u202e${'Z'.repeat(500)}`;

  it('escapes control characters and terminal escape sequences and cuts long values in messages and rejects files', async () => {
    const f = file('evil.csv', `${STOCK_HEADER}\nSEN,${evil},2020,male,1\n${'\u0001'}${'\u009b'}31m,GIN,2020,male,2\n`);
    const error = await failure(importStock(client, f, { revision: 't_sec' }));
    const shown = `\\x1b]0;owned\\x07\\x1b[2J\\x00\\u202e${'Z'.repeat(104)}… (396 more characters)`;
    expect(error.message).toBe(
      [
        `${f}: 2 invalid row(s); nothing was written`,
        `  evil.csv line 2: origin_iso3 "${shown}" is not a known country code`,
        '  evil.csv line 3: destination_iso3 "\\x01\\x9b31m" is not a known country code',
      ].join('\n'),
    );

    const rejectsFile = path.join(dir, 'evil.rejects.csv');
    await failure(importStock(client, f, { revision: 't_sec', skipInvalid: true, rejectsFile }));
    const text = fs.readFileSync(rejectsFile, 'utf8');
    expect(text).toBe(
      [
        'line,reason,row',
        `2,"origin_iso3 ""${shown}"" is not a known country code","SEN,\\x1b]0;owned\\x07\\x1b[2J\\x00\\u202e${'Z'.repeat(500)},2020,male,1"`,
        '3,"destination_iso3 ""\\x01\\x9b31m"" is not a known country code","\\x01\\x9b31m,GIN,2020,male,2"',
        '',
      ].join('\n'),
    );
    // eslint-disable-next-line no-control-regex
    expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/.test(error.message + text)).toBe(false);
  });

  it('escapes what a CSV reader error and a wrong header show', async () => {
    const f = file('evil-header.csv', `code,name${ESC}[31m\n`);
    const error = await failure(withCatalogue(f));
    expect(error.message).toBe(
      `${f} line 1: wrong column set: expected "${CATALOGUE_HEADER}" or "${REFERENCE_CATALOGUE_HEADER}", got "code,name\\x1b[31m"; nothing was written`,
    );
  });
});
