import type { BaseContext } from '@apollo/server';
import { Client } from 'pg';
import { definition as processesDefinition } from '../../services/consultative-processes/src/service';
import type { Context as ProcessesContext } from '../../services/consultative-processes/src/context';
import { resolvers as processesResolvers } from '../../services/consultative-processes/src/resolvers';
import { loadServices } from '../../services/definitions';
import type { ServiceDefinition } from '../../shared/src/runtime/service';
import { buildServiceSchema, createSubgraphServer } from '../../shared/src/graphql/subgraph';
import { type PrivateStack, startPrivateStack, startStack } from '../support/stack';
import { required } from '../../shared/src/runtime/required';

// Issue #11, finding 5: a record deleted (or never recorded) in one service blanked another service's
// answers with only `extensions.valueCompletion`. A field that points into another service is
// nullable now, and a reference that no longer resolves is null with a DANGLING_REFERENCE error at
// its own path; everything beside it is answered as before. These tests delete seeded records and
// store broken keys, so they run on a database of their own.

let stack: PrivateStack;
beforeAll(async () => {
  stack = await startPrivateStack('mg_refs');
}, 120000);
afterAll(async () => {
  await stack?.stop();
}, 120000);

type Json = Record<string, unknown>;

const dangling = (typename: string, key: string, serviceName: string, path: (string | number)[]) => ({
  message: `${typename} "${key}" does not exist: it was deleted or never recorded`,
  path,
  extensions: { code: 'DANGLING_REFERENCE', typename, key, serviceName },
});

async function sql(statement: string, values: unknown[] = []): Promise<void> {
  const client = new Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    await client.query(statement, values);
  } finally {
    await client.end();
  }
}

describe('references across services', () => {
  it('answers every agency after an instrument they cite is deleted, with the deleted instrument null and a DANGLING_REFERENCE error at its path', async () => {
    const AGENCIES = `{ unAgencies { acronym custodianOf { code title } } }`;
    const before = await stack.query(AGENCIES);
    expect(before.errors).toBeUndefined();
    const agencies = (before.data as { unAgencies: { acronym: string; custodianOf: Json[] }[] }).unAgencies;
    const cited = agencies.flatMap((a, i) => a.custodianOf.flatMap((c, j) => (c.code === 'PSR1967' ? [[i, j] as const] : [])));
    expect(cited.length).toBeGreaterThan(0);

    // An instrument with live treaty actions cannot be deleted: PSR1967's are deleted first (softly,
    // as deleteTreatyAction does), so that an editor may delete it.
    await sql(`UPDATE "legal"."treaty_action" SET "deleted_at" = now() WHERE "instrument_code" = 'PSR1967'`);
    const editor = await stack.token('editor-1', ['editor:legal-instruments']);
    const deleted = await stack.query(
      `mutation($input: InstrumentVersionInput!) { deleteInstrument(input: $input) { instrument { code version } } }`,
      { input: { code: 'PSR1967', version: 1 } },
      editor,
    );
    expect(deleted).toEqual({ status: 200, data: { deleteInstrument: { instrument: { code: 'PSR1967', version: 2 } } } });

    expect(await stack.query(AGENCIES)).toEqual({
      status: 200,
      errors: cited.map(([i, j]) =>
        dangling('LegalInstrument', 'PSR1967', 'legal-instruments', ['unAgencies', i, 'custodianOf', j]),
      ),
      data: {
        unAgencies: agencies.map((a) => ({ ...a, custodianOf: a.custodianOf.map((c) => (c.code === 'PSR1967' ? null : c)) })),
      },
    });
    // The custodianship itself still answers: only the instrument it names is missing.
    const unhcr = await stack.query(`{ unAgency(acronym: "UNHCR") { custodianships { role instrument { code shortTitle } } } }`);
    const position = required(
      (before.data as { unAgencies: { acronym: string; custodianOf: Json[] }[] }).unAgencies.find((a) => a.acronym === 'UNHCR'),
      'UNHCR',
    ).custodianOf.findIndex((c) => c.code === 'PSR1967');
    expect(unhcr.errors).toEqual([
      dangling('LegalInstrument', 'PSR1967', 'legal-instruments', ['unAgency', 'custodianships', position, 'instrument']),
    ]);
    expect((unhcr.data as { unAgency: { custodianships: { instrument: unknown }[] } }).unAgency.custodianships[position]).toEqual(
      {
        role: 'SUPERVISION',
        instrument: null,
      },
    );
  });

  it('reads back a programme that names a process consultative-processes does not have, with the process null and a DANGLING_REFERENCE error', async () => {
    const editor = await stack.token('editor-2', ['editor:un-partnerships']);
    // The code is well formed, so the write is accepted: un-partnerships cannot read consultative-processes' tables.
    const created = await stack.query(
      `mutation($input: CreateProgrammeInput!) { createProgramme(input: $input) { programme { id supportsProcess { code } } } }`,
      {
        input: {
          id: 'REFS-NOPE',
          name: 'A programme naming an unknown process',
          kind: 'PROJECT',
          scope: 'REGIONAL',
          supportsProcess: 'NOPE-PROCESS',
        },
      },
      editor,
    );
    expect(created).toEqual({
      status: 200,
      data: { createProgramme: { programme: { id: 'REFS-NOPE', supportsProcess: { code: 'NOPE-PROCESS' } } } },
    });

    expect(await stack.query(`{ programme(id: "REFS-NOPE") { id name supportsProcess { code name } } }`)).toEqual({
      status: 200,
      errors: [dangling('ConsultativeProcess', 'NOPE-PROCESS', 'consultative-processes', ['programme', 'supportsProcess'])],
      data: { programme: { id: 'REFS-NOPE', name: 'A programme naming an unknown process', supportsProcess: null } },
    });
  });

  it('refuses a malformed process code on a programme with BAD_USER_INPUT and writes nothing', async () => {
    const editor = await stack.token('editor-2', ['editor:un-partnerships']);
    const result = await stack.query(
      `mutation($input: CreateProgrammeInput!) { createProgramme(input: $input) { programme { id } } }`,
      { input: { id: 'REFS-BAD', name: 'x', kind: 'PROJECT', scope: 'REGIONAL', supportsProcess: 'midwa; drop' } },
      editor,
    );
    expect({ data: result.data, codes: result.errors?.map((e) => e.extensions?.code) }).toEqual({
      data: { createProgramme: null },
      codes: ['BAD_USER_INPUT'],
    });
    expect((await stack.query(`{ programme(id: "REFS-BAD") { id } }`)).errors?.map((e) => e.extensions?.code)).toEqual([
      'NOT_FOUND',
    ]);
  });

  it('answers a programme whose stored country code left the country list, with that country null and a DANGLING_REFERENCE error, the other countries intact', async () => {
    const PROGRAMME = `{ programme(id: "FMM-WEST-AFRICA") { id countries { country { code name migrationProfiles { year } } } } }`;
    const before = await stack.query(PROGRAMME);
    expect(before.errors).toBeUndefined();
    const countries = (before.data as { programme: { countries: { country: { code: string } }[] } }).programme.countries;
    expect(countries.map((c) => c.country.code)).toContain('BFA');

    // As if the reference list had dropped a code that a row still holds (writes check codes against the list).
    await sql(
      `UPDATE partners.programme_country SET country_code = 'ZZZ' WHERE programme_id = 'FMM-WEST-AFRICA' AND country_code = 'BFA'`,
    );
    const kept = countries.filter((c) => c.country.code !== 'BFA');
    // Countries are ordered by code, so ZZZ comes last.
    expect(await stack.query(PROGRAMME)).toEqual({
      status: 200,
      errors: [dangling('Country', 'ZZZ', 'un-partnerships', ['programme', 'countries', kept.length, 'country'])],
      data: { programme: { id: 'FMM-WEST-AFRICA', countries: [...kept, { country: null }] } },
    });
  });

  it('answers a programme whose organisation names a regional organisation consultative-processes does not have, with that organisation null and a DANGLING_REFERENCE error', async () => {
    const ORGANISATIONS = `{ programme(id: "FMM-WEST-AFRICA") { id organizations { name role regionalOrganization { code name } } } }`;
    const before = await stack.query(ORGANISATIONS);
    expect(before.errors).toBeUndefined();
    const organizations = (before.data as { programme: { organizations: { regionalOrganization: { code: string } | null }[] } })
      .programme.organizations;
    const linked = organizations.findIndex((o) => o.regionalOrganization?.code === 'ECOWAS');
    expect(linked).toBeGreaterThanOrEqual(0);

    // Regional organisations of a programme are reference data (no mutation writes them): as if consultative-processes had renamed ECOWAS.
    await sql(
      `UPDATE partners.programme_organization SET regional_organization = 'GONE-ORG' WHERE programme_id = 'FMM-WEST-AFRICA' AND regional_organization = 'ECOWAS'`,
    );
    expect(await stack.query(ORGANISATIONS)).toEqual({
      status: 200,
      errors: [
        dangling('RegionalOrganization', 'GONE-ORG', 'consultative-processes', [
          'programme',
          'organizations',
          linked,
          'regionalOrganization',
        ]),
      ],
      data: {
        programme: {
          id: 'FMM-WEST-AFRICA',
          organizations: organizations.map((o, i) => (i === linked ? { ...o, regionalOrganization: null } : o)),
        },
      },
    });
  });

  it('turns a silent null from a service that answers an unknown key with null (an older version) into a DANGLING_REFERENCE error', async () => {
    // consultative-processes as it was before this change: null for a process it does not have, no error.
    const older: ServiceDefinition<ProcessesContext> = {
      ...processesDefinition,
      buildServer: (log) =>
        createSubgraphServer<ProcessesContext>({
          log,
          // A later resolver map overrides the same field of an earlier one.
          schema: buildServiceSchema(processesDefinition.schemaFile, [
            processesResolvers,
            {
              ConsultativeProcess: {
                __resolveReference: (ref: { code: string }, ctx: ProcessesContext) => ctx.loaders.process.load(ref.code),
              },
            },
          ]),
        }),
    };
    const definitions = loadServices().map((d) =>
      d.name === older.name ? (older as unknown as ServiceDefinition<BaseContext>) : d,
    );
    const mixed = await startStack({ url: stack.databaseUrl, definitions });
    try {
      const editor = await mixed.token('editor-3', ['editor:un-partnerships']);
      const created = await mixed.query(
        `mutation($input: CreateProgrammeInput!) { createProgramme(input: $input) { programme { id } } }`,
        {
          input: {
            id: 'REFS-OLDER',
            name: 'Supports a process that is gone',
            kind: 'CAMPAIGN',
            scope: 'GLOBAL',
            supportsProcess: 'GONE-PROCESS',
          },
        },
        editor,
      );
      expect(created).toEqual({ status: 200, data: { createProgramme: { programme: { id: 'REFS-OLDER' } } } });
      expect(await mixed.query(`{ programme(id: "REFS-OLDER") { id supportsProcess { code name } } }`)).toEqual({
        status: 200,
        errors: [
          {
            message: 'Cannot return null for non-nullable field ConsultativeProcess.name.',
            path: ['programme', 'supportsProcess', 'name'],
            extensions: { code: 'DANGLING_REFERENCE' },
          },
        ],
        data: { programme: { id: 'REFS-OLDER', supportsProcess: null } },
      });
    } finally {
      await mixed.stop();
    }
  });
});
