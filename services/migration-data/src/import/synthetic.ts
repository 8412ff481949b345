import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import readline from 'node:readline';
import { COUNTRIES } from '../../../../shared/src/reference/countries';

// Synthetic files in the import formats, to load the import path at scale: the benchmarks' ten-times data
// and the import test's large file. Beside the imports they feed, so that scripts and tests share them.

const HEADER = 'destination_iso3,origin_iso3,year,sex,stock';

/**
 * Writes a bilateral-stock CSV of `count` synthetic rows: every (destination, origin) pair of the
 * country list, for each of `years` and both sexes, with deterministic pseudo-random stocks.
 * With `base`, the base file's rows come first, unchanged, and no synthetic row repeats one of
 * their keys: the result is the real data plus `count` synthetic rows.
 */
export async function writeSyntheticStock(file: string, count: number, years: number[], base?: string): Promise<number> {
  const out = fs.createWriteStream(file);
  const taken = new Set<string>();
  out.write(`${HEADER}\n`);
  let written = 0;
  if (base) {
    const lines = readline.createInterface({ input: fs.createReadStream(base, 'utf8'), crlfDelay: Infinity });
    let first = true;
    for await (const line of lines) {
      if (first) {
        first = false;
        continue;
      }
      if (line === '') continue;
      const [d, o, y, s] = line.split(',');
      taken.add(`${d}${o}${y}${s}`);
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    }
  }
  // Codes of three letters only: a stock file's codes are stored as keys (see countryKey.ts), so AB9 is refused.
  const codes = [...COUNTRIES.keys()].filter((c) => /^[A-Z]{3}$/.test(c)).sort();
  const destinations = codes.filter((c) => c !== 'OOO');
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  let buffer = '';
  outer: for (const year of years) {
    for (const d of destinations) {
      for (const o of codes) {
        if (o === d) continue;
        for (const sex of ['female', 'male']) {
          if (written >= count) break outer;
          if (taken.has(`${d}${o}${year}${sex}`)) continue;
          buffer += `${d},${o},${year},${sex},${next() % 5000}\n`;
          written += 1;
          if (buffer.length > 1 << 16) {
            if (!out.write(buffer)) await once(out, 'drain');
            buffer = '';
          }
        }
      }
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  if (written < count) throw new Error(`only ${written} synthetic rows fit in ${years.length} years; give more years`);
  return written;
}

/**
 * The benchmark's indicator: a catalogue entry and a series for every reference country from 1990
 * to 2024 (invented values, labelled as such), written into `dir`. Returns [catalogue, series].
 */
export function writeBenchIndicatorFiles(dir: string): [string, string] {
  const catalogue = path.join(dir, 'catalogue.csv');
  fs.writeFileSync(
    catalogue,
    'code,name,unit,definition,allow_negative,source,source_url,confidence\n' +
      'BENCH_SYNTHETIC,Synthetic benchmark series,persons,Invented values for the benchmark only.,true,Benchmark,,unverified\n',
  );
  const series = path.join(dir, 'series.csv');
  const lines = ['indicator,country_iso3,year,value,unit,source,confidence'];
  for (const code of COUNTRIES.keys()) {
    for (let year = 1990; year <= 2024; year += 1)
      lines.push(`BENCH_SYNTHETIC,${code},${year},${(year * 7 + code.charCodeAt(0)) % 1000},persons,Benchmark,unverified`);
  }
  fs.writeFileSync(series, `${lines.join('\n')}\n`);
  return [catalogue, series];
}

/**
 * Ten times the indicator values: the seed's catalogue and values plus nine copies of each
 * indicator under codes ending in _X1 to _X9 (the same values, labelled as benchmark copies), in
 * the reference format. The real codes then live in a table ten times the real one. Returns
 * [catalogue, values].
 */
export function writeTenfoldIndicatorFiles(dir: string, catalogue: string, values: string): [string, string] {
  const [catalogueHeader, ...entries] = fs.readFileSync(catalogue, 'utf8').trimEnd().split('\n');
  const [valuesHeader, ...rows] = fs.readFileSync(values, 'utf8').trimEnd().split('\n');
  const copies = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  const outCatalogue = path.join(dir, 'catalogue-10x.csv');
  // The first cell of each line is the code (never quoted in the reference catalogue).
  const renamed = (line: string, n: number) => line.replace(/^([A-Z0-9_.]+),/, `$1_X${n},`);
  fs.writeFileSync(
    outCatalogue,
    `${[catalogueHeader, ...entries, ...copies.flatMap((n) => entries.map((l) => renamed(l, n)))].join('\n')}\n`,
  );
  const outValues = path.join(dir, 'values-10x.csv');
  const out = fs.openSync(outValues, 'w');
  fs.writeSync(out, `${valuesHeader}\n${rows.join('\n')}\n`);
  for (const n of copies) fs.writeSync(out, `${rows.map((l) => renamed(l, n)).join('\n')}\n`);
  fs.closeSync(out);
  return [outCatalogue, outValues];
}

/**
 * Ten times UNHCR's origin × asylum table: the real rows, then nine synthetic rows per real row of
 * each year (pairs of the country list that the year does not have, with invented refugee counts),
 * in the same years, so that a year's corridors are ten times as many. Returns the row count.
 */
export async function writeTenfoldDisplacement(file: string, base: string): Promise<number> {
  const [header, ...rows] = fs.readFileSync(base, 'utf8').trimEnd().split('\n');
  const perYear = new Map<string, { count: number; period: string; taken: Set<string> }>();
  for (const line of rows) {
    const cells = line.split(',');
    const entry = perYear.get(cells[0]) ?? { count: 0, period: cells[cells.length - 1], taken: new Set<string>() };
    entry.count += 1;
    entry.taken.add(`${cells[1]}${cells[2]}`);
    perYear.set(cells[0], entry);
  }
  const codes = [...COUNTRIES.keys()].filter((c) => /^[A-Z]{3}$/.test(c)).sort();
  const out = fs.createWriteStream(file);
  out.write(`${header}\n${rows.join('\n')}\n`);
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  let written = rows.length;
  for (const [year, { count, period, taken }] of perYear) {
    let wanted = count * 9;
    let buffer = '';
    // A stride through the pairs (coprime with their number) spreads the synthetic corridors over every origin.
    const pairs = codes.length * codes.length;
    for (let i = 0, k = 0; i < pairs && wanted > 0; i += 1, k = (k + 7919) % pairs) {
      const origin = codes[Math.floor(k / codes.length)];
      const asylum = codes[k % codes.length];
      if (origin === asylum || taken.has(`${origin}${asylum}`)) continue;
      buffer += `${year},${origin},${asylum},${5 + (next() % 20000)},,,,,,,${period}\n`;
      wanted -= 1;
      written += 1;
    }
    if (wanted > 0) throw new Error(`only part of the synthetic rows of ${year} fit in the pairs of the country list`);
    if (!out.write(buffer)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return written;
}

/**
 * Ten times the Missing Migrants Project records: every real record and nine copies of it, each copy
 * with its own id (the record's id and -x1 to -x9), so every filter, total and map meets ten times the rows.
 */
export async function writeTenfoldIncidents(file: string, base: string): Promise<number> {
  const [header, ...rows] = fs.readFileSync(base, 'utf8').trimEnd().split('\n');
  const out = fs.createWriteStream(file);
  out.write(`${header}\n${rows.join('\n')}\n`);
  for (let k = 1; k <= 9; k += 1) {
    // An id is the line's first cell and never quoted (gdi-mmp-NNNNN).
    const copy = rows.map((line) => line.replace(/^([^,]+),/, `$1-x${k},`)).join('\n');
    if (!out.write(`${copy}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows.length * 10;
}
