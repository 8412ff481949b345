import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';
import {
  dropStockRevision,
  ImportBusyError,
  ImportError,
  importStock,
  type Reject,
} from '../../../services/migration-data/src/import';
import { writeSyntheticStock } from '../../../services/migration-data/src/import/synthetic';
import { countryKey } from '../../../services/migration-data/src/countryKey';
import { type ImportFixture, openImportFixture } from '../../support/importFixture';
import { testDatabaseUrl } from '../../support/serviceHarness';
import { runScript } from '../../support/childProcess';

const FIXTURES = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'migration-data');
const HEADER = 'destination_iso3,origin_iso3,year,sex,stock';

let fixture: ImportFixture;
let client: Client;
let dir: string;
beforeAll(async () => {
  fixture = await openImportFixture('mg-import-');
  ({ client, dir } = fixture);
});
afterAll(async () => {
  for (const revision of ['t_bad', 't_skip', 't_kill', 't_conc']) await dropStockRevision(client, revision);
  await fixture.close();
});

/** A valid stock file of `n` rows (SEN from every origin, both sexes, over years), optionally one line replaced. */
function stockFile(name: string, n: number, replace?: { line: number; text: string }): string {
  const codes = ['BEN', 'BFA', 'CIV', 'GHA', 'GIN', 'GMB', 'GNB', 'LBR', 'MLI', 'MRT', 'NER', 'NGA', 'SLE', 'TGO', 'CPV'];
  const lines = [HEADER];
  outer: for (let year = 1990; year <= 2020; year += 1) {
    for (const origin of codes) {
      for (const sex of ['female', 'male']) {
        if (lines.length > n) break outer;
        lines.push(`SEN,${origin},${year},${sex},${lines.length * 10}`);
      }
    }
  }
  if (replace) lines[replace.line - 1] = replace.text;
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function revisionState(revision: string) {
  const rows = await client.query(
    `SELECT (SELECT count(*)::int FROM "data"."migrant_stock" WHERE revision = $1) AS rows,
            (SELECT row_count FROM "data"."stock_revision" WHERE code = $1) AS row_count,
            (SELECT coalesce(sum(stock), 0)::text FROM "data"."migrant_stock" WHERE revision = $1) AS stock,
            (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'data'
              AND (tablename LIKE 'load\\_%' OR tablename IN ('stock_corridor_' || $1, 'stock_country_year_' || $1))) AS tables`,
    [revision],
  );
  return rows.rows[0] as { rows: number; row_count: number | null; stock: string; tables: number };
}

/** Runs the import command as a separate process, as an analyst would. */
function importProcess(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  // One process: SIGKILL hits the import itself.
  const { child, output, exited } = runScript('scripts/import.ts', args, {
    ...process.env,
    DATABASE_URL: testDatabaseUrl(),
    LOG_LEVEL: 'error',
    NODE_ENV: 'test',
  });
  return { child, output, exit: exited };
}

describe('the migrant-stock import', () => {
  it('writes nothing when one row in the middle of the file is bad, and names that row', async () => {
    await importStock(client, stockFile('before.csv', 40), { revision: 't_bad' });
    const before = await revisionState('t_bad');
    const file = stockFile('bad-middle.csv', 600, { line: 301, text: 'SEN,GIN,2005,male,-12' });
    const error = await importStock(client, file, { revision: 't_bad' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).rejects).toEqual([
      { line: 301, reason: 'stock -12 is negative', text: 'SEN,GIN,2005,male,-12' },
    ]);
    expect((error as ImportError).message).toContain('bad-middle.csv line 301: stock -12 is negative');
    expect(await revisionState('t_bad')).toEqual(before);
    expect(before).toEqual({ rows: 40, row_count: 40, stock: String(((40 * 41) / 2) * 10), tables: 2 });
  });

  it('loads the good rows with --skip-invalid and writes every rejected row, with its line and reason, to the rejects file', async () => {
    const rejectsFile = path.join(dir, 'rejects.csv');
    const result = await importStock(client, path.join(FIXTURES, 'stock-mixed.csv'), {
      revision: 't_skip',
      skipInvalid: true,
      rejectsFile,
    });
    const expected: Reject[] = [
      { line: 4, reason: 'origin_iso3 "ZZZ" is not a known country code', text: 'SEN,ZZZ,2020,male,5' },
      { line: 5, reason: 'stock -4 is negative', text: 'SEN,MLI,2020,male,-4' },
      { line: 6, reason: 'stock "lots" is not a whole number', text: 'SEN,MLI,2020,female,lots' },
      { line: 7, reason: 'duplicate row for SEN from GIN in 2020 (male)', text: 'SEN,GIN,2020,male,130' },
      { line: 8, reason: `year 1890 is out of range (1950 to ${new Date().getUTCFullYear()})`, text: 'SEN,MRT,1890,male,7' },
      { line: 9, reason: 'sex "total" must be male or female (the source has no totals)', text: 'SEN,MRT,2020,total,7' },
      { line: 10, reason: 'expected 5 comma-separated cells, got 4', text: 'SEN,MRT,2020,male' },
    ];
    expect({ ...result, ms: 0, sha256: '', phases: undefined, splitCorridors: undefined }).toEqual({
      kind: 'stock',
      target: 't_skip',
      changed: true,
      rows: 3,
      rejected: 7,
      rejects: expected,
      sha256: '',
      ms: 0,
    });
    expect(fs.readFileSync(rejectsFile, 'utf8').trim().split('\n')).toEqual([
      'line,reason,row',
      ...expected.map(
        (r) =>
          `${r.line},${r.reason.includes('"') || r.reason.includes(',') ? `"${r.reason.replace(/"/g, '""')}"` : r.reason},${r.text.includes(',') ? `"${r.text}"` : r.text}`,
      ),
    ]);
    const rows = await client.query(
      `SELECT destination_code, origin_code, year, sex, stock FROM "data"."migrant_stock" WHERE revision = 't_skip' ORDER BY origin_code, sex`,
    );
    expect(rows.rows).toEqual([
      { destination_code: 'SEN', origin_code: 'GIN', year: 2020, sex: 'female', stock: '100' },
      { destination_code: 'SEN', origin_code: 'GIN', year: 2020, sex: 'male', stock: '120' },
      { destination_code: 'SEN', origin_code: 'MRT', year: 2020, sex: 'male', stock: '50' },
    ]);
    const sums = await client.query(
      `SELECT side, code, year, male::int, female::int FROM "data"."stock_country_year" WHERE revision = 't_skip' ORDER BY side, code`,
    );
    expect(sums.rows).toEqual([
      { side: 'destination', code: 'SEN', year: 2020, male: 170, female: 100 },
      { side: 'origin', code: 'GIN', year: 2020, male: 120, female: 100 },
      { side: 'origin', code: 'MRT', year: 2020, male: 50, female: null },
    ]);
  });

  it('refuses a file with the wrong column set before reading any row', async () => {
    const file = path.join(dir, 'columns.csv');
    fs.writeFileSync(file, 'destination,origin,year,sex,stock\nSEN,GIN,2020,male,1\n');
    await expect(importStock(client, file, { revision: 't_bad', skipInvalid: true })).rejects.toThrow(
      `${file} line 1: wrong column set: expected "${HEADER}", got "destination,origin,year,sex,stock"; nothing was written`,
    );
  });

  it('stores one row per corridor whatever the order of the rows: a file with the sexes apart gives the same corridors, counts and ranking', async () => {
    const lines = fs.readFileSync(stockFile('adjacent.csv', 120), 'utf8').trim().split('\n');
    // One corridor with a female row only: its total is unknown and it ranks last.
    lines.push('SEN,CMR,1990,female,7');
    const adjacent = path.join(dir, 'adjacent-plus.csv');
    fs.writeFileSync(adjacent, `${lines.join('\n')}\n`);
    const data = lines.slice(1);
    const apart = path.join(dir, 'apart.csv');
    fs.writeFileSync(
      apart,
      `${[HEADER, ...data.filter((l) => l.includes(',female,')), ...data.filter((l) => l.includes(',male,'))].join('\n')}\n`,
    );

    const a = await importStock(client, adjacent, { revision: 't_adj' });
    const b = await importStock(client, apart, { revision: 't_split' });
    try {
      expect(Object.keys(a.phases ?? {})).not.toContain('merge split corridors');
      expect(Object.keys(b.phases ?? {})).toContain('merge split corridors');
      expect([a.splitCorridors, b.splitCorridors]).toEqual([0, 60]);
      const table = async (sql: string, revision: string) => (await client.query(sql, [revision])).rows;
      const corridors = `SELECT year, data.country_code(destination_key) AS d, data.country_code(origin_key) AS o, male, female, total
        FROM "data"."stock_corridor" WHERE revision = $1 ORDER BY 1, 2, 3`;
      const ranking = `SELECT s.year, r.rank::int AS rank, r.destination_key, r.origin_key, r.male, r.female, r.male + r.female AS total
        FROM "data"."stock_ranking" s, unnest(s.destination_keys, s.origin_keys, s.male, s.female) WITH ORDINALITY AS r(destination_key, origin_key, male, female, rank)
        WHERE s.revision = $1 ORDER BY 1, 2`;
      const years = `SELECT year, corridors FROM "data"."stock_year" WHERE revision = $1 ORDER BY 1`;
      const stored = await table(corridors, 't_adj');
      expect(stored).toHaveLength(61);
      expect(stored.find((r) => r.o === 'CMR')).toEqual({ year: 1990, d: 'SEN', o: 'CMR', male: null, female: '7', total: null });
      expect(stored.find((r) => r.o === 'BEN' && r.year === 1990)).toEqual({
        year: 1990,
        d: 'SEN',
        o: 'BEN',
        male: '20',
        female: '10',
        total: '30',
      });
      expect(await table(corridors, 't_split')).toEqual(stored);
      const ranked = await table(ranking, 't_adj');
      expect(ranked.filter((r) => r.year === 1990).at(-1)).toMatchObject({
        rank: 16,
        destination_key: countryKey('SEN'),
        origin_key: countryKey('CMR'),
        total: null,
      });
      expect(await table(ranking, 't_split')).toEqual(ranked);
      expect(await table(years, 't_adj')).toEqual([
        { year: 1990, corridors: 16 },
        { year: 1991, corridors: 15 },
        { year: 1992, corridors: 15 },
        { year: 1993, corridors: 15 },
      ]);
      expect(await table(years, 't_split')).toEqual(await table(years, 't_adj'));
    } finally {
      await dropStockRevision(client, 't_adj');
      await dropStockRevision(client, 't_split');
    }
  });

  it('reads a file with a byte-order mark, CRLF line ends, blank lines and no final newline like the plain file', async () => {
    const plain = stockFile('plain.csv', 31);
    const lines = fs.readFileSync(plain, 'utf8').trim().split('\n');
    const odd = path.join(dir, 'odd.csv');
    fs.writeFileSync(odd, `\uFEFF${[lines[0], ...lines.slice(1, 10), '', ...lines.slice(10)].join('\r\n')}`);
    const a = await importStock(client, plain, { revision: 't_plain' });
    const b = await importStock(client, odd, { revision: 't_odd' });
    try {
      expect(a.rows).toBe(31);
      expect(b.rows).toBe(31);
      const stored = `SELECT year, destination_key, origin_key, male, female FROM "data"."stock_corridor" WHERE revision = $1 ORDER BY 1, 2, 3`;
      const rowsA = (await client.query(stored, ['t_plain'])).rows;
      expect(rowsA).toHaveLength(16);
      expect((await client.query(stored, ['t_odd'])).rows).toEqual(rowsA);
      // A bad row's line number counts the blank line.
      const bad = path.join(dir, 'odd-bad.csv');
      fs.writeFileSync(bad, `\uFEFF${[lines[0], '', 'SEN,GIN,2005,male,x'].join('\r\n')}`);
      const error = await importStock(client, bad, { revision: 't_odd' }).catch((e: unknown) => e);
      expect((error as ImportError).rejects).toEqual([
        { line: 3, reason: 'stock "x" is not a whole number', text: 'SEN,GIN,2005,male,x' },
      ]);
    } finally {
      await dropStockRevision(client, 't_plain');
      await dropStockRevision(client, 't_odd');
    }
  });

  it('refuses a line over 64 KiB at once with its line number: a 30 MB line costs no re-joining of the chunks it spans', async () => {
    const lines = fs.readFileSync(stockFile('long-line-base.csv', 20), 'utf8').trim().split('\n');
    const file = path.join(dir, 'long-line.csv');
    fs.writeFileSync(
      file,
      `${[...lines.slice(0, 5), `SEN,GIN,2019,male,${'9'.repeat(30_000_000)}`, ...lines.slice(5)].join('\n')}\n`,
    );
    const started = Date.now();
    const error = await importStock(client, file, { revision: 't_bad', skipInvalid: true }).catch((e: unknown) => e);
    const ms = Date.now() - started;
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toBe(
      `${file} line 6: the line is longer than 65,536 bytes, the most a line may have; nothing was written`,
    );
    expect(ms).toBeLessThan(1000);
    // A line just under the limit inside one read chunk, and one just over it, are told apart.
    const edge = path.join(dir, 'edge-line.csv');
    fs.writeFileSync(
      edge,
      `${HEADER}\nSEN,GIN,2019,male,${'1'.repeat(65536 - 18)}\nSEN,GIN,2019,female,${'1'.repeat(65536 - 19)}\n`,
    );
    const edgeError = await importStock(client, edge, { revision: 't_bad' }).catch((e: unknown) => e);
    expect((edgeError as ImportError).message).toBe(
      `${edge} line 3: the line is longer than 65,536 bytes, the most a line may have; nothing was written`,
    );
  });

  it('prints errors with control characters and terminal escape sequences escaped, and long values cut', async () => {
    const file = path.join(dir, 'escapes.csv');
    fs.writeFileSync(
      file,
      `${HEADER}\nSEN,\u001b[31mRED\u001b]0;title\u0007,2020,male,1\nSEN,GIN,2020,male,${'7'.repeat(300)}x\n`,
    );
    const run = importProcess(['stock', file, '--revision', 't_bad']);
    expect(await run.exit).toBe(1);
    // After the progress line, the error.
    expect(run.output().slice(run.output().indexOf('[import]'))).toBe(
      [
        `[import] ${file}: 2 invalid row(s); nothing was written`,
        '  escapes.csv line 2: origin_iso3 "\\x1b[31mRED\\x1b]0;title\\x07" is not a known country code',
        `  escapes.csv line 3: stock "${'7'.repeat(120)}… (181 more characters)" is not a whole number`,
        '',
      ].join('\n'),
    );
  });

  it('changes nothing when the same file is imported again, and replaces the revision when the file changes', async () => {
    const file = stockFile('again.csv', 30);
    const first = await importStock(client, file, { revision: 't_conc' });
    const state = await revisionState('t_conc');
    const second = await importStock(client, file, { revision: 't_conc' });
    expect([first.changed, second.changed, second.rows]).toEqual([true, false, 0]);
    expect(await revisionState('t_conc')).toEqual(state);
    await importStock(client, stockFile('again-2.csv', 10), { revision: 't_conc' });
    expect(await revisionState('t_conc')).toEqual({ rows: 10, row_count: 10, stock: String(55 * 10), tables: 2 });
  });

  it('lets one of two simultaneous imports of a revision wait (or fail at once with --no-wait), and the data ends consistent', async () => {
    const file = stockFile('concurrent.csv', 900);
    const other = new Client({ connectionString: testDatabaseUrl() });
    await other.connect();
    const third = new Client({ connectionString: testDatabaseUrl() });
    await third.connect();
    try {
      // Hold the revision's lock as a running import would, then start two more imports.
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['import:stock:t_conc']);
      let waited = false;
      const waiting = importStock(client, file, { revision: 't_conc', onWaiting: () => (waited = true) });
      const refused = await importStock(third, file, { revision: 't_conc', wait: false }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ImportBusyError);
      expect((refused as Error).message).toBe('another import of stock t_conc is running; try again when it has finished');
      await new Promise((r) => setTimeout(r, 300));
      expect(waited).toBe(true);
      await other.query('COMMIT');
      expect((await waiting).changed).toBe(true);
      // Two at once for real: the second waits for the first, then finds the file loaded.
      const results = await Promise.all([
        importStock(client, file, { revision: 't_conc' }),
        importStock(third, file, { revision: 't_conc' }),
      ]);
      expect(results.map((r) => r.changed)).toEqual([false, false]);
      expect(await revisionState('t_conc')).toEqual({
        rows: 900,
        row_count: 900,
        stock: String(((900 * 901) / 2) * 10),
        tables: 2,
      });
    } finally {
      await other.end();
      await third.end();
    }
  });

  it('keeps the previous data intact and queryable when an import is killed with SIGKILL halfway, and a rerun succeeds', async () => {
    await importStock(client, stockFile('kill-before.csv', 50), { revision: 't_kill' });
    const before = await revisionState('t_kill');
    const big = path.join(dir, 'big.csv');
    await writeSyntheticStock(big, 400000, [1990, 1995, 2000, 2005, 2010, 2015, 2020]);

    const run = importProcess(['stock', big, '--revision', 't_kill']);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (/\b(2|3|4|5)\d% of the file/.test(run.output())) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
      run.exit.then(() => {
        clearInterval(timer);
        reject(new Error(`the import ended before it could be killed: ${run.output()}`));
      });
    });
    // Meanwhile the old rows are still what readers get.
    expect(await revisionState('t_kill')).toEqual(before);
    run.child.kill('SIGKILL');
    expect(await run.exit).toBeNull();
    // The server notices the dead connection and rolls its transaction back.
    for (let i = 0; i < 50; i += 1) {
      const busy = await client.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'migration-data-import'`,
      );
      if (busy.rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await revisionState('t_kill')).toEqual(before);

    const rerun = importProcess(['stock', big, '--revision', 't_kill']);
    expect(await rerun.exit).toBe(0);
    expect(rerun.output()).toMatch(/stock t_kill: 400,000 rows loaded in [\d.]+ s/);
    expect((await revisionState('t_kill')).rows).toBe(400000);
  }, 120000);
});
