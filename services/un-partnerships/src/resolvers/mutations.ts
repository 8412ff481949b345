import { earliestDay, latestDay } from '../../../../shared/src/graphql/scalars';
import { checkOrder, PROVENANCE_RULES } from '../../../../shared/src/editing/validation';
import {
  type EditableSpec,
  type EditableTable,
  identifierKey,
  mutationResolvers,
  reference,
  requireLive,
  serialKey,
} from '../../../../shared/src/editing/writes';
import { ACRONYM, named, PROCESS_CODE, RECORD_ID, spelled } from '../../../../shared/src/reference/identifiers';
import { Custodianship, Programme, ProgrammeAgency, ProgrammeCountry, UnAgency } from '../entities';
import { asStored } from '../../../../shared/src/graphql/enums';
import type { MutationResolvers } from '../generated/resolvers';
import { ProgrammeAgencyRole, ProgrammeKind, ProgrammeScope, ProgrammeStatus, ProgrammeTheme } from './enums';
import { registered } from '../../../../shared/src/runtime/registry';

const { name: SERVICE_NAME, schema: SCHEMA } = registered('un-partnerships');
const base = { service: SERVICE_NAME, schema: SCHEMA } as const;
const PROGRAMME_REF = reference(Programme, 'id', 'programme');

export const agencyTable: EditableTable<UnAgency> = {
  ...base,
  entity: 'UnAgency',
  target: UnAgency,
  key: [identifierKey('acronym', ACRONYM, named(ACRONYM, 'UNHCR or UN Women'))],
  dependents: [
    reference(ProgrammeAgency, 'agencyAcronym', 'programme role(s)'),
    reference(Custodianship, 'agencyAcronym', 'custodianship(s)'),
  ],
};
export const programmeTable: EditableTable<Programme> = {
  ...base,
  entity: 'Programme',
  target: Programme,
  key: [identifierKey('id', RECORD_ID, spelled(RECORD_ID, 'FMM-WEST-AFRICA'))],
  dependents: [
    reference(ProgrammeAgency, 'programmeId', 'agency role(s)'),
    reference(ProgrammeCountry, 'programmeId', 'country record(s)'),
  ],
};
export const programmeAgencyTable: EditableTable<ProgrammeAgency> = {
  ...base,
  entity: 'ProgrammeAgency',
  target: ProgrammeAgency,
  key: [serialKey()],
};
export const programmeCountryTable: EditableTable<ProgrammeCountry> = {
  ...base,
  entity: 'ProgrammeCountry',
  target: ProgrammeCountry,
  key: [serialKey()],
};

const agencySpec: EditableSpec<UnAgency> = {
  table: agencyTable,
  createKey: {
    acronym: {
      kind: 'code',
      format: ACRONYM,
      hint: `an acronym such as UNHCR or UN Women (${ACRONYM.minLength} to ${ACRONYM.maxLength} characters)`,
      required: true,
    },
  },
  fields: {
    name: { kind: 'text', max: 300, required: true },
    mandate: { kind: 'text', max: 1000 },
    founded: { kind: 'partialDate' },
    headquarters: { kind: 'text', max: 200 },
    ...PROVENANCE_RULES,
  },
};

const programmeSpec: EditableSpec<Programme> = {
  table: programmeTable,
  createKey: {
    id: { kind: 'code', format: RECORD_ID, hint: spelled(RECORD_ID, 'FMM-WEST-AFRICA', { lengths: true }), required: true },
  },
  fields: {
    name: { kind: 'text', max: 300, required: true },
    kind: { kind: 'enum', values: asStored(ProgrammeKind), required: true },
    scope: { kind: 'enum', values: asStored(ProgrammeScope), required: true },
    description: { kind: 'text', max: 4000 },
    startDate: { kind: 'partialDate' },
    endDate: { kind: 'partialDate' },
    status: { kind: 'enum', values: asStored(ProgrammeStatus) },
    themes: { kind: 'enumList', values: asStored(ProgrammeTheme), maxItems: 4 },
    supportsProcess: { kind: 'code', format: PROCESS_CODE, hint: named(PROCESS_CODE, 'MIDWA') },
    ...PROVENANCE_RULES,
  },
  // The days that answer "as of", as the seed computes them: the first day of the start, the last of the end.
  derive: (row) => ({
    starts_on: typeof row.start_date === 'string' ? earliestDay(row.start_date) : null,
    ends_on: typeof row.end_date === 'string' ? latestDay(row.end_date) : null,
  }),
  check: (row, p) => {
    checkOrder(p, 'endDate', row.start_date, row.end_date);
  },
};

const programmeAgencySpec: EditableSpec<ProgrammeAgency> = {
  table: programmeAgencyTable,
  fields: {
    programmeId: {
      input: 'programme',
      kind: 'code',
      format: RECORD_ID,
      hint: named(RECORD_ID, 'FMM-WEST-AFRICA', 'a programme id'),
      required: true,
    },
    agencyAcronym: { input: 'agency', kind: 'text', max: ACRONYM.maxLength, required: true },
    role: { kind: 'enum', values: asStored(ProgrammeAgencyRole), required: true },
    ...PROVENANCE_RULES,
  },
  check: async (row, p, m) => {
    await requireLive(m, p, 'programme', PROGRAMME_REF, row.programme_id);
    await requireLive(m, p, 'agency', reference(UnAgency, 'acronym', 'UN agency'), row.agency_acronym);
  },
};

const programmeCountrySpec: EditableSpec<ProgrammeCountry> = {
  table: programmeCountryTable,
  fields: {
    programmeId: {
      input: 'programme',
      kind: 'code',
      format: RECORD_ID,
      hint: named(RECORD_ID, 'FMM-WEST-AFRICA', 'a programme id'),
      required: true,
    },
    countryCode: { input: 'country', kind: 'country', required: true },
    ...PROVENANCE_RULES,
  },
  check: async (row, p, m) => {
    await requireLive(m, p, 'programme', PROGRAMME_REF, row.programme_id);
  },
};

const agency = mutationResolvers(agencySpec, 'agency');
const programme = mutationResolvers(programmeSpec, 'programme');
const programmeAgency = mutationResolvers(programmeAgencySpec, 'programmeAgency');
const programmeCountry = mutationResolvers(programmeCountrySpec, 'programmeCountry');

export const Mutation: Required<MutationResolvers> = {
  createUnAgency: agency.create,
  updateUnAgency: agency.update,
  deleteUnAgency: agency.delete,
  restoreUnAgency: agency.restore,
  createProgramme: programme.create,
  updateProgramme: programme.update,
  deleteProgramme: programme.delete,
  restoreProgramme: programme.restore,
  createProgrammeAgency: programmeAgency.create,
  updateProgrammeAgency: programmeAgency.update,
  deleteProgrammeAgency: programmeAgency.delete,
  restoreProgrammeAgency: programmeAgency.restore,
  createProgrammeCountry: programmeCountry.create,
  updateProgrammeCountry: programmeCountry.update,
  deleteProgrammeCountry: programmeCountry.delete,
  restoreProgrammeCountry: programmeCountry.restore,
};
