import { type Stack, startStack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
});

const CIV = { code: 'CIV', name: "Côte d'Ivoire" };

describe('a code that matches nothing, through the gateway', () => {
  it('suggests CIV for IVC, with its name, in the message and in extensions.suggestions', async () => {
    expect(await stack.query('{ country(code: "IVC") { name } }')).toEqual({
      status: 200,
      data: { country: null },
      errors: [
        {
          message: `No country has the code "IVC". Did you mean CIV (Côte d'Ivoire)?`,
          path: ['country'],
          extensions: { code: 'NOT_FOUND', suggestions: [CIV], serviceName: 'consultative-processes' },
        },
      ],
    });
  });

  it('reads the two-letter code CI as ISO 3166-1 alpha-2 and suggests its alpha-3 code only', async () => {
    expect(await stack.query('{ country(code: "CI") { name } }')).toEqual({
      status: 200,
      data: { country: null },
      errors: [
        {
          message: `"CI" is not a country code (ISO 3166-1 alpha-3, such as SEN, or a data set's code, such as AB9). Did you mean CIV (Côte d'Ivoire)?`,
          path: ['country'],
          extensions: {
            code: 'BAD_USER_INPUT',
            problems: [{ field: 'code', message: 'must be three letters or digits, the first a letter, such as SEN' }],
            suggestions: [CIV],
            serviceName: 'consultative-processes',
          },
        },
      ],
    });
  });

  it('resolves the French acronym OIT outright as the ILO', async () => {
    expect(await stack.query('{ unAgency(acronym: "OIT") { acronym } }')).toEqual({
      status: 200,
      data: { unAgency: { acronym: 'ILO' } },
    });
  });

  it('suggests the instrument, process and organisation one edit away', async () => {
    const answers = await Promise.all(
      [
        '{ instrument(code: "ICMRW") { code } }',
        '{ consultativeProcess(code: "MIDCA") { code } }',
        '{ regionalOrganization(code: "ECOWA") { code } }',
      ].map((q) => stack.query(q)),
    );
    expect(answers.map((a) => a.errors?.map((e) => [e.message, e.extensions?.code, e.extensions?.suggestions]))).toEqual([
      [
        [
          'No instrument has the code "ICMRW". Did you mean ICRMW (Migrant Workers Convention)?',
          'NOT_FOUND',
          [{ code: 'ICRMW', name: 'Migrant Workers Convention' }],
        ],
      ],
      [
        [
          'No consultative process has the code or alias "MIDCA". Did you mean MIDCAS (Migration Dialogue for Central African States) or MIDWA (Migration Dialogue for West Africa)?',
          'NOT_FOUND',
          [
            { code: 'MIDCAS', name: 'Migration Dialogue for Central African States' },
            { code: 'MIDWA', name: 'Migration Dialogue for West Africa' },
          ],
        ],
      ],
      [
        [
          'No regional organisation has the code or acronym "ECOWA". Did you mean ECOWAS (Economic Community of West African States)?',
          'NOT_FOUND',
          [{ code: 'ECOWAS', name: 'Economic Community of West African States' }],
        ],
      ],
    ]);
  });

  it('suggests nothing when nothing is near, and keeps the plain NOT_FOUND', async () => {
    expect(await stack.query('{ country(code: "XYZ") { name } }')).toEqual({
      status: 200,
      data: { country: null },
      errors: [
        {
          message: 'No country has the code "XYZ"',
          path: ['country'],
          extensions: { code: 'NOT_FOUND', serviceName: 'consultative-processes' },
        },
      ],
    });
  });
});
