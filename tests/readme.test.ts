import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../shared/src/runtime/config';

// The README's "Where to start" sends each of the graph's users to a section: those sections exist,
// each names the tests that check it, and every test file the README names is there.
const README = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

/** The README's sections (## and ###), by title, with their text up to the next section. */
function sections(): Map<string, string> {
  const heads = [...README.matchAll(/^#{2,3} (.+)$/gm)];
  return new Map(
    heads.map((h, i) => [h[1].trim(), README.slice((h.index ?? 0) + h[0].length, heads[i + 1]?.index ?? README.length)]),
  );
}

/** The rows of the "Where to start" table: who, and the quoted section titles of its other cells. */
function whereToStart(): { who: string; first: string[]; then: string[] }[] {
  const text = sections().get('Where to start') ?? '';
  const quoted = (cell: string) => [...cell.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  return text
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| who ') && !line.startsWith('|---'))
    .map((line) => {
      const [who, first, then] = line.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, ''));
      return { who, first: quoted(first), then: quoted(then ?? '') };
    });
}

describe('the README', () => {
  it('sends frontend teams, partners, analysts, French readers and operators each to a section first', () => {
    expect(whereToStart().map((row) => [row.who.split(' ')[1], row.first])).toEqual([
      ['frontend', ['From a web page on another origin']],
      ['partner', ['The IDE']],
      ['analyst', ['Downloads for analysts']],
      ['reader', ['French']],
      ['operator', ['Operating it']],
    ]);
  });

  it('has every section the "Where to start" table names, and each first section names its tests', () => {
    const all = sections();
    const rows = whereToStart();
    const named = [...new Set(rows.flatMap((row) => [...row.first, ...row.then]))];
    expect(named.length).toBeGreaterThanOrEqual(10);
    expect(named.filter((title) => !all.has(title))).toEqual([]);
    const firstWithoutTests = rows
      .flatMap((row) => row.first)
      .filter((title) => !/`tests\/[\w/.-]+\.test\.ts`/.test(all.get(title) ?? ''));
    expect(firstWithoutTests).toEqual([]);
  });

  it('names only test files that exist', () => {
    const files = [...new Set([...README.matchAll(/`(tests\/[\w/.-]+\.ts)`/g)].map((m) => m[1]))];
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((file) => !fs.existsSync(path.join(PROJECT_ROOT, file)))).toEqual([]);
  });
});
