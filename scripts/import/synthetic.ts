import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import readline from 'node:readline';
import { COUNTRIES } from '../../shared/src/reference/countries';

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
  const codes = [...COUNTRIES.keys()].sort();
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
