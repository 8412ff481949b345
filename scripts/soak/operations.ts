import type { ServiceName } from '../../shared/src/runtime/config';

/** One operation of the soak's mix: what it sends and which services it needs. */
export interface SoakOperation {
  name: string;
  /** Services the operation touches: a fault in any other leaves it unaffected. */
  touches: readonly ServiceName[];
  /** Relative frequency in the mix. */
  weight: number;
  build(pick: <T>(items: readonly T[]) => T): { query: string; variables?: Record<string, unknown> };
  /**
   * For a write: the identifier of what it stored, read from a successful answer (the write was
   * acknowledged). The soak reads every acknowledged write back afterwards with `verify`.
   */
  acknowledged?(data: Record<string, unknown>): string | null;
}

/** How the soak checks that an acknowledged write is still there after the faults. */
export interface WriteVerifier {
  /** True when the write with this identifier is present. */
  verify(
    id: string,
    post: (query: string, variables?: Record<string, unknown>) => Promise<Record<string, unknown> | null>,
  ): Promise<boolean>;
}

const COUNTRIES = ['SEN', 'NER', 'MLI', 'BFA', 'GIN', 'CIV', 'GHA', 'NGA', 'CMR', 'TCD', 'GAB', 'CAF'] as const;

/** Cross-domain reads, each touching a different set of services. */
export const READS: SoakOperation[] = [
  {
    name: 'country-dossier',
    touches: ['consultative-processes', 'legal-instruments', 'migration-data'],
    weight: 3,
    build: (pick) => ({
      query: `query Dossier($code: ID!) { country(code: $code) { name treatyActions { instrument { code } action date }
        migrationProfiles { year } processParticipations { process { code } role } } }`,
      variables: { code: pick(COUNTRIES) },
    }),
  },
  {
    name: 'ecowas-kampala',
    touches: ['consultative-processes', 'legal-instruments'],
    weight: 2,
    build: () => ({
      query: `{ regionalOrganization(code: "ECOWAS") { members(asOf: "2024-06-30") { country { code
        treatyStatus(instrument: "AU-KAMPALA", asOf: "2024-06-30") { status } } } } }`,
    }),
  },
  {
    name: 'immigrant-stock',
    touches: ['consultative-processes', 'migration-data'],
    weight: 2,
    build: (pick) => ({
      query: `query Stock($code: ID!) { country(code: $code) { code immigrantStock(years: [2020, 2024]) { year total } } }`,
      variables: { code: pick(COUNTRIES) },
    }),
  },
  {
    name: 'country-programmes',
    touches: ['consultative-processes', 'un-partnerships'],
    weight: 2,
    build: (pick) => ({
      query: `query Programmes($code: ID!) { country(code: $code) { code programmes { name } unAgencies { acronym } } }`,
      variables: { code: pick(COUNTRIES) },
    }),
  },
  {
    name: 'agency-custodian',
    touches: ['un-partnerships', 'legal-instruments'],
    weight: 1,
    build: (pick) => ({
      query: `query Agency($a: String!) { unAgency(acronym: $a) { acronym custodianOf { code shortTitle } } }`,
      variables: { a: pick(['ILO', 'UNHCR', 'UNODC']) },
    }),
  },
  {
    name: 'instrument',
    touches: ['legal-instruments'],
    weight: 1,
    build: (pick) => ({
      query: `query I($c: ID!) { instrument(code: $c) { code shortTitle } }`,
      variables: { c: pick(['ICRMW', 'AU-KAMPALA']) },
    }),
  },
];

/**
 * Writes in the mix, sent with an editor's token: each acknowledged one is read back after the
 * faults by the verifier of the same name in WRITE_VERIFIERS.
 */
let written = 0;
export const WRITES: SoakOperation[] = [
  {
    name: 'create-meeting',
    touches: ['consultative-processes'],
    weight: 2,
    build: (pick) => {
      written += 1;
      return {
        query: `mutation Soak($input: CreateMeetingInput!) { createMeeting(input: $input) { meeting { id version } } }`,
        variables: {
          input: {
            id: `SOAK-${process.pid}-${written}`,
            process: 'IDM',
            title: 'A meeting written by the soak',
            kind: 'regional',
            startDate: '2026',
            country: pick(COUNTRIES),
            confidence: 'UNVERIFIED',
            source: 'soak test',
          },
        },
      };
    },
    acknowledged: (data) => (data.createMeeting as { meeting?: { id?: string } } | null)?.meeting?.id ?? null,
  },
];

/** Every meeting id of a process, read page by page once and kept for the checks that follow. */
function meetingIds(process: string) {
  let ids: Promise<Set<string>> | null = null;
  return (post: (query: string, variables?: Record<string, unknown>) => Promise<Record<string, unknown> | null>) => {
    ids ??= (async () => {
      const found = new Set<string>();
      let after: string | null = null;
      for (;;) {
        const data = await post(
          `query($after: String) { meetings(filter: { process: "${process}" }, first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
        const page = data?.meetings as
          { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | undefined;
        if (!page) throw new Error('could not read the meetings back');
        for (const e of page.edges) found.add(e.node.id);
        if (!page.pageInfo.hasNextPage) return found;
        after = page.pageInfo.endCursor;
      }
    })();
    return ids;
  };
}

const idmMeetings = meetingIds('IDM');
export const WRITE_VERIFIERS: Record<string, WriteVerifier> = {
  'create-meeting': { verify: async (id, post) => (await idmMeetings(post)).has(id) },
};
