import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
});

const MEMBERSHIPS = `query Memberships($code: ID!, $asOf: Date!) {
  country(code: $code) { code organizationMemberships(asOf: $asOf) { organization { code } } }
}`;
const DAY_FORM = 'a calendar day in YYYY-MM-DD form, years 1000 to 2100';

describe('variables of the graph scalars, checked by the gateway', () => {
  it.each(['2024-02-30', '2024-13-01', '30/06/2024', '9999-12-31'])(
    'refuses the Date variable %s with HTTP 400, BAD_USER_INPUT and the variable named, before any service runs SQL',
    async (asOf) => {
      const answer = await stack.queryCounting(MEMBERSHIPS, { code: 'CIV', asOf });
      expect(answer).toEqual({
        status: 400,
        sql: 0,
        errors: [
          {
            message: `Variable "$asOf" got invalid value "${asOf}"; Date must be ${DAY_FORM}, got "${asOf}"`,
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
    },
  );

  it('refuses a Date variable given as a number, naming the variable', async () => {
    const answer = await stack.query(MEMBERSHIPS, { code: 'CIV', asOf: 20240630 });
    expect(answer).toEqual({
      status: 400,
      errors: [
        {
          message: `Variable "$asOf" got invalid value 20240630; Date must be ${DAY_FORM}, got 20240630`,
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
  });

  it('refuses a PartialDate inside an input object, naming the variable and the path', async () => {
    const answer = await stack.query(
      `mutation Add($input: CreateTrainingInput!) { createTraining(input: $input) { training { id } } }`,
      { input: { id: 'VAR-T1', project: 'P', activity: 'A', startDate: '2024-13' } },
    );
    expect(answer).toEqual({
      status: 400,
      errors: [
        {
          message:
            'Variable "$input" got invalid value "2024-13" at "input.startDate"; PartialDate must be YYYY, YYYY-MM or YYYY-MM-DD, years 1000 to 2100, got "2024-13"',
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
  });

  it('answers the country dossier, whose asOf goes to every service, with one error rather than one per service', async () => {
    const dossier = fs.readFileSync(path.join(PROJECT_ROOT, 'operations', 'country-dossier.graphql'), 'utf8');
    const answer = await stack.queryCounting(dossier, { code: 'CIV', asOf: '2024-06-31' });
    expect(answer).toEqual({
      status: 400,
      sql: 0,
      errors: [
        {
          message: `Variable "$asOf" got invalid value "2024-06-31"; Date must be ${DAY_FORM}, got "2024-06-31"`,
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
  });

  it('names every invalid variable in one error when there are several', async () => {
    const answer = await stack.query(MEMBERSHIPS, { code: ['CIV'], asOf: '2024' });
    expect(answer).toEqual({
      status: 400,
      errors: [
        {
          message: `2 variable values are invalid: Variable "$code" got invalid value ["CIV"]; ID cannot represent value: ["CIV"] | Variable "$asOf" got invalid value "2024"; Date must be ${DAY_FORM}, got "2024"`,
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
  });

  it('answers the same operation with a valid Date', async () => {
    const answer = await stack.query(MEMBERSHIPS, { code: 'CIV', asOf: '2024-06-30' });
    expect(answer).toEqual({
      status: 200,
      data: { country: { code: 'CIV', organizationMemberships: [{ organization: { code: 'ECOWAS' } }] } },
    });
  });
});
