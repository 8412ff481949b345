/** The benchmark's cross-domain operations, each with a hot-key and a varied set of variables. */
import { WCA_27 } from '../../operations/countrySets';

/** The 27 countries of West and Central Africa and 20 of their main partners in the migrant-stock data: 47 in all. */
export const COUNTRIES_47 = [
  ...WCA_27,
  ...['FRA', 'CHE', 'ITA', 'ESP', 'DEU', 'GBR', 'BEL', 'USA', 'CAN', 'MAR'],
  ...['DZA', 'TUN', 'LBY', 'EGY', 'SDN', 'ZAF', 'ETH', 'KEN', 'UGA', 'TZA'],
];

const STOCK_YEARS = [1990, 1995, 2000, 2005, 2010, 2015, 2020];
const PROCESSES = ['MIDWA', 'MIDCAS', 'IDM'];
const AGENCIES = ['ILO', 'UNHCR', 'UNDP', 'UNICEF', 'WFP', 'UNFPA', 'UN Women', 'UNODC', 'UNAIDS'];

/** The nth of a list, cycling. */
const nth = <T>(list: readonly T[], n: number): T => list[n % list.length];
/** 27 countries of the 47, starting at the nth: each request a different set. */
const window27 = (n: number) => Array.from({ length: 27 }, (_, i) => nth(COUNTRIES_47, n + i));
/** A different day for each request: the first or 28th of a month of a year between 1995 and 2024. */
const asOf = (n: number) => `${1995 + (n % 30)}-${String(1 + (n % 12)).padStart(2, '0')}-${n % 2 ? '28' : '01'}`;

export interface BenchOperation {
  name: string;
  query: string;
  /** The hot-key mix: the same variables for every request. */
  variables: Record<string, unknown>;
  /** The varied mix: the variables of request number n (a different country, day, year or set in turn). */
  vary(n: number): Record<string, unknown>;
}

export const OPERATIONS: BenchOperation[] = [
  {
    name: 'country dossier',
    query: `query Dossier($code: ID!, $year: Int!) { country(code: $code) {
      code name nameFr: name(lang: FR) subregion
      treatyActions { instrument { code shortTitle } action date provenance { confidence verified } }
      trainings { id activity }
      migrationProfiles { title year language }
      immigrantStock { year male female total }
      topOrigins(year: $year, limit: 5) { origin { code name } total }
      organizationMemberships { organization { code name } type from to }
      processParticipations { process { code name } role }
      programmes { id name agencies { agency { acronym } role } }
      unAgencies { acronym name }
    } }`,
    variables: { code: 'SEN', year: 2020 },
    vary: (n) => ({ code: nth(COUNTRIES_47, n), year: nth(STOCK_YEARS, n) }),
  },
  {
    name: '27-country ratification matrix',
    query: `query Matrix($codes: [ID!], $asOf: Date) { countries(filter: { codes: $codes }, first: 50) { edges { node {
      code name
      treatyStatuses(asOf: $asOf) { instrument { code } status since dateCertain verified }
      organizationMemberships(asOf: $asOf) { organization { code } }
    } } } }`,
    variables: { codes: WCA_27, asOf: '2024-06-30' },
    vary: (n) => ({ codes: window27(n), asOf: asOf(n) }),
  },
  {
    name: 'corridor list',
    query: `query Corridors($codes: [ID!], $year: Int!) { corridors(filter: { year: $year, destinations: $codes }, first: 50) {
      totalCount edges { node { origin { code name } destination { code name } male female total } }
    } }`,
    variables: { codes: WCA_27, year: 2020 },
    vary: (n) => ({ codes: window27(n), year: nth(STOCK_YEARS, n) }),
  },
  {
    name: "process with its members' ratifications",
    query: `query Process($code: String!, $asOf: Date) { consultativeProcess(code: $code) { code name status
      participants(role: MEMBER) { organization country { code name treatyStatuses(asOf: $asOf) { instrument { code } status since } } }
    } }`,
    variables: { code: 'MIDWA', asOf: null },
    vary: (n) => ({ code: nth(PROCESSES, n), asOf: asOf(n) }),
  },
  {
    name: "agency with its programmes' countries",
    query: `query Agency($acronym: String!, $asOf: Date) { unAgency(acronym: $acronym) { acronym name
      custodianOf { code title parties { country { code name } } }
      programmes { id name countries { country { code name organizationMemberships(asOf: $asOf) { organization { code } } } } }
    } }`,
    variables: { acronym: 'ILO', asOf: null },
    vary: (n) => ({ acronym: nth(AGENCIES, n), asOf: asOf(n) }),
  },
];
