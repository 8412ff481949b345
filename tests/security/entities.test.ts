import { definition } from '../../services/legal-instruments/src/service';
import { type ServiceHarness, startServiceHarness } from '../support/serviceHarness';

// The gateway's _entities calls carry representations it built itself, but a service must not let
// one bad representation (a bug, a replayed or hand-made signed call) take its siblings down.
let svc: ServiceHarness;
beforeAll(async () => {
  svc = await startServiceHarness(definition);
});
afterAll(async () => {
  await svc.close();
});

const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on LegalInstrument { code shortTitle }
    ... on Training { id }
    ... on Country { code name }
  }
}`;
const ICRMW = { __typename: 'LegalInstrument', code: 'ICRMW' };
const AU_FMP = { __typename: 'LegalInstrument', code: 'AU-FMP' };
const ICRMW_ANSWER = { code: 'ICRMW', shortTitle: 'Migrant Workers Convention' };
const AU_FMP_ANSWER = { code: 'AU-FMP', shortTitle: 'AU Free Movement Protocol' };

const malformed = (index: number, problem: string) => ({
  message: `The representation at index ${index} ${problem}`,
  locations: [{ line: 2, column: 3 }],
  path: ['_entities', index],
  extensions: { code: 'BAD_USER_INPUT' },
});

describe('an _entities batch with malformed representations', () => {
  it('answers the well-formed ones and gives each malformed one its own error at its index', async () => {
    const result = await svc.execute(ENTITIES, {
      representations: [ICRMW, { __typename: 'NoSuchType', code: 'X' }, AU_FMP, { code: 'ICRMW' }, 'ICRMW', [ICRMW]],
    });
    expect(result).toEqual({
      data: { _entities: [ICRMW_ANSWER, null, AU_FMP_ANSWER, null, null, null] },
      errors: [
        malformed(1, 'names "NoSuchType", which is not an entity type of this service'),
        malformed(3, 'has no __typename'),
        malformed(4, 'is a string, not an object'),
        malformed(5, 'is a list, not an object'),
      ],
    });
  });

  it('refuses key values that are missing, of the wrong type, too long or carry a NUL, each alone', async () => {
    const result = await svc.execute(ENTITIES, {
      representations: [
        { __typename: 'LegalInstrument' },
        ICRMW,
        { __typename: 'LegalInstrument', code: 42 },
        { __typename: 'LegalInstrument', code: ['ICRMW'] },
        { __typename: 'Country', code: { iso: 'SEN' } },
        { __typename: 'LegalInstrument', code: 'ICR\u0000MW' },
        { __typename: 'Training', id: 'X'.repeat(201) },
        { __typename: 'Country', code: 'SEN' },
        AU_FMP,
      ],
    });
    expect(result).toEqual({
      data: { _entities: [null, ICRMW_ANSWER, null, null, null, null, null, { code: 'SEN', name: 'Senegal' }, AU_FMP_ANSWER] },
      errors: [
        malformed(0, 'lacks its key field "code"'),
        malformed(2, 'has a number as its key field "code", not a string'),
        malformed(3, 'has a list as its key field "code", not a string'),
        malformed(4, 'has an object as its key field "code", not a string'),
        malformed(5, 'has control characters or a lone surrogate in its key field "code"'),
        malformed(6, 'has a key field "id" longer than 200 characters'),
      ],
    });
  });

  it('still looks up the well-formed representations of a type in one statement', async () => {
    const clean = await svc.executeCounting(ENTITIES, { representations: [ICRMW, AU_FMP] });
    const mixed = await svc.executeCounting(ENTITIES, {
      representations: [ICRMW, { __typename: 'LegalInstrument', code: 'ICR\u0000MW' }, { __typename: 'LegalInstrument' }, AU_FMP],
    });
    expect({ data: mixed.data, sql: mixed.sql }).toEqual({
      data: { _entities: [ICRMW_ANSWER, null, null, AU_FMP_ANSWER] },
      sql: clean.sql,
    });
  });
});
