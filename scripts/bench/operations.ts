/** The benchmark's fixed mix of cross-domain operations. */
export const WCA_27 = [
  'AGO',
  'BDI',
  'BEN',
  'BFA',
  'CAF',
  'CIV',
  'CMR',
  'COD',
  'COG',
  'CPV',
  'GAB',
  'GHA',
  'GIN',
  'GMB',
  'GNB',
  'GNQ',
  'LBR',
  'MLI',
  'MRT',
  'NER',
  'NGA',
  'RWA',
  'SEN',
  'SLE',
  'STP',
  'TCD',
  'TGO',
];

export interface BenchOperation {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

export const OPERATIONS: BenchOperation[] = [
  {
    name: 'country dossier',
    query: `query Dossier($code: ID!) { country(code: $code) {
      code name nameFr: name(lang: FR) subregion
      treatyActions { instrument { code shortTitle } action date provenance { confidence verified } }
      trainings { id activity }
      migrationProfiles { title year language }
      immigrantStock { year male female total }
      topOrigins(year: 2020, limit: 5) { origin { code name } total }
      organizationMemberships { organization { code name } type from to }
      processParticipations { process { code name } role }
      programmes { id name agencies { agency { acronym } role } }
      unAgencies { acronym name }
    } }`,
    variables: { code: 'SEN' },
  },
  {
    name: '27-country ratification matrix',
    query: `query Matrix($codes: [ID!]) { countries(filter: { codes: $codes }, first: 50) { edges { node {
      code name
      treatyStatuses(asOf: "2024-06-30") { instrument { code } status since dateCertain verified }
      organizationMemberships(asOf: "2024-06-30") { organization { code } }
    } } } }`,
    variables: { codes: WCA_27 },
  },
  {
    name: 'corridor list',
    query: `query Corridors($codes: [ID!]) { corridors(filter: { year: 2020, destinations: $codes }, first: 50) {
      totalCount edges { node { origin { code name } destination { code name } male female total } }
    } }`,
    variables: { codes: WCA_27 },
  },
  {
    name: "process with its members' ratifications",
    query: `query Process { consultativeProcess(code: "MIDWA") { code name status
      participants(role: MEMBER) { organization country { code name treatyStatuses { instrument { code } status since } } }
    } }`,
    variables: {},
  },
  {
    name: "agency with its programmes' countries",
    query: `query Agency { unAgency(acronym: "ILO") { acronym name
      custodianOf { code title parties { country { code name } } }
      programmes { id name countries { country { code name organizationMemberships { organization { code } } } } }
    } }`,
    variables: {},
  },
];
