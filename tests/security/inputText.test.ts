import { definition } from '../../services/legal-instruments/src/service';
import { as, counts, startPrivateHarness } from '../support/editing';
import type { ServiceHarness } from '../support/serviceHarness';

// Text, dates and links an editor sends are shown to every reader of the graph (and pasted into
// web pages and spreadsheets by partners): what cannot be displayed honestly is refused at the door.
let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startPrivateHarness(definition);
});
afterAll(async () => {
  await svc.close();
});

const editor = as('editor:legal-instruments', 'editor-1');
const TABLES = ['instrument', 'treaty_action', 'training', 'publication'];
const CREATE_PUBLICATION = `mutation($input: CreatePublicationInput!) { createPublication(input: $input) { publication { id title url } } }`;
const CREATE_TRAINING = `mutation($input: CreateTrainingInput!) { createTraining(input: $input) { training { id startDate endDate } } }`;
const CREATE_INSTRUMENT = `mutation($input: CreateInstrumentInput!) { createInstrument(input: $input) { instrument { code themes } } }`;

let tag = 0;
const publication = (fields: Record<string, unknown>) => ({ id: `SEC-P${++tag}`, title: 'A study', kind: 'STUDY', ...fields });

/** The problems a refused create reports, after checking that it wrote nothing. */
async function refused(query: string, input: Record<string, unknown>): Promise<unknown> {
  const before = await counts(svc.ds, 'legal', TABLES);
  const result = await svc.execute(query, { input }, editor);
  expect(await counts(svc.ds, 'legal', TABLES)).toEqual(before);
  return result.errors?.map((e) => e.extensions);
}

const problem = (field: string, message: string) => [{ code: 'BAD_USER_INPUT', problems: [{ field, message }] }];

describe('free text in mutation inputs', () => {
  it.each([
    ['zero-width characters only', '\u200B\u200C\u200D\u2060\uFEFF\u200B', 'must contain a visible character'],
    ['zero-width characters between spaces', ' \u200B \u200D ', 'must contain a visible character'],
    ['a Hangul filler and a combining mark', '\u3164\u0301', 'must contain a visible character'],
    [
      'a right-to-left override (Trojan Source)',
      'Annual report \u202Efdp.exe',
      'must not contain bidirectional override or isolate characters (U+202A-U+202E, U+2066-U+2069)',
    ],
    [
      'bidi isolates',
      '\u2066Study\u2069',
      'must not contain bidirectional override or isolate characters (U+202A-U+202E, U+2066-U+2069)',
    ],
    ['a lone high surrogate', 'Study \uD83D of migration', 'must be well-formed Unicode (it has a lone surrogate)'],
    ['a lone low surrogate', '\uDE00', 'must be well-formed Unicode (it has a lone surrogate)'],
    ['a terminal escape sequence', 'Study \u001B[2J\u001B[31mred', 'must not contain control characters'],
  ])('refuses a title made of %s with BAD_USER_INPUT and writes nothing', async (_what, title, message) => {
    expect(await refused(CREATE_PUBLICATION, publication({ title }))).toEqual(problem('input.title', message));
  });

  it('refuses a list item made only of invisible characters or carrying a bidi override', async () => {
    const input = { code: 'SEC-THEMES', title: 'Test instrument', kind: 'CONVENTION', scope: 'GLOBAL', status: 'NOT_IN_FORCE' };
    expect(await refused(CREATE_INSTRUMENT, { ...input, themes: ['labour', '\u200B\u200B'] })).toEqual(
      problem('input.themes', 'items must contain a visible character'),
    );
    expect(await refused(CREATE_INSTRUMENT, { ...input, themes: ['\u202Elabour'] })).toEqual(
      problem(
        'input.themes',
        'items must not contain bidirectional override or isolate characters (U+202A-U+202E, U+2066-U+2069)',
      ),
    );
  });

  it('accepts French text, emoji joined by zero-width joiners, and text with line breaks', async () => {
    const title = 'Étude « migration » 👨‍👩‍👧\nsecond line';
    const result = await svc.execute(CREATE_PUBLICATION, { input: publication({ id: 'SEC-OK-TEXT', title }) }, editor);
    expect(result).toEqual({ data: { createPublication: { publication: { id: 'SEC-OK-TEXT', title, url: null } } } });
  });
});

describe('PartialDate and Date values', () => {
  const training = (fields: Record<string, unknown>) => ({
    id: `SEC-T${++tag}`,
    project: 'Test project',
    activity: 'A workshop',
    ...fields,
  });
  it.each(['0000', '0999', '9999-12', '2101', '2024-13', '2024-00', '2023-02-29', '2024-04-31', '1000-00-01'])(
    'refuses the partial date %s with BAD_USER_INPUT and writes nothing',
    async (startDate) => {
      const before = await counts(svc.ds, 'legal', TABLES);
      const result = await svc.execute(CREATE_TRAINING, { input: training({ startDate }) }, editor);
      expect(await counts(svc.ds, 'legal', TABLES)).toEqual(before);
      expect(result.errors?.map((e) => ({ message: e.message, code: e.extensions?.code }))).toEqual([
        {
          message: `Variable "$input" got invalid value "${startDate}" at "input.startDate"; PartialDate must be YYYY, YYYY-MM or YYYY-MM-DD, years 1000 to 2100, got "${startDate}"`,
          code: 'BAD_USER_INPUT',
        },
      ]);
    },
  );

  it('refuses a Date argument outside the years 1000 to 2100', async () => {
    const result = await svc.execute(`{ instrument(code: "ICRMW") { parties(asOf: "9999-12-31") { status } } }`);
    expect(result.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['Date must be a calendar day in YYYY-MM-DD form, years 1000 to 2100, got "9999-12-31"', 'GRAPHQL_VALIDATION_FAILED'],
    ]);
  });

  it('accepts the first and last years of the range, and a leap day', async () => {
    const result = await svc.execute(
      CREATE_TRAINING,
      { input: training({ id: 'SEC-OK-DATES', startDate: '1000', endDate: '2100-12' }) },
      editor,
    );
    expect(result).toEqual({
      data: { createTraining: { training: { id: 'SEC-OK-DATES', startDate: '1000', endDate: '2100-12' } } },
    });
    const leap = await svc.execute(CREATE_TRAINING, { input: training({ id: 'SEC-OK-LEAP', startDate: '2024-02-29' }) }, editor);
    expect(leap).toEqual({
      data: { createTraining: { training: { id: 'SEC-OK-LEAP', startDate: '2024-02-29', endDate: null } } },
    });
  });
});

describe('links in mutation inputs', () => {
  it.each([
    [
      'an attribute breakout in the host',
      'http://x"onmouseover="alert(1)',
      'must not contain spaces, quotes, angle brackets, backslashes or control characters',
    ],
    [
      'a quote in the path',
      "https://example.org/a'onclick='x",
      'must not contain spaces, quotes, angle brackets, backslashes or control characters',
    ],
    [
      'a tag in the query',
      'https://example.org/?q=<script>',
      'must not contain spaces, quotes, angle brackets, backslashes or control characters',
    ],
    [
      'a space',
      'https://example.org/a b.pdf',
      'must not contain spaces, quotes, angle brackets, backslashes or control characters',
    ],
    [
      'a tab',
      'https://example.org/a\tb.pdf',
      'must not contain spaces, quotes, angle brackets, backslashes or control characters',
    ],
    [
      'a backslash',
      'https:\\\\example.org\\a',
      'must not contain spaces, quotes, angle brackets, backslashes or control characters',
    ],
    ['a javascript: scheme', 'javascript:alert(1)', 'must be an http or https URL'],
    ['a data: scheme', 'data:text/html,<b>x</b>', 'must be an http or https URL'],
    ['no scheme or host (a relative path)', '/study.pdf', 'must be an http or https URL'],
    ['credentials', 'https://user:secret@example.org/study.pdf', 'must not carry a user name or password'],
  ])('refuses a link with %s with BAD_USER_INPUT and writes nothing', async (_what, url, message) => {
    expect(await refused(CREATE_PUBLICATION, publication({ url }))).toEqual(problem('input.url', message));
  });

  it('accepts an https URL with a query and a fragment, and stores it as given', async () => {
    const url = 'https://publications.iom.int/books/migration-au-senegal?lang=fr&page=2#resume';
    const result = await svc.execute(CREATE_PUBLICATION, { input: publication({ id: 'SEC-OK-URL', url }) }, editor);
    expect(result).toEqual({ data: { createPublication: { publication: { id: 'SEC-OK-URL', title: 'A study', url } } } });
  });
});
