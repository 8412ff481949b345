import { earliestDay, latestDay } from '../../../../shared/src/scalars';
import {
  checkOrder, type EditableSpec, type EditableTable, type KeyPart, mutationResolvers, type Problems, PROVENANCE_RULES, requireLive, serialKey, textKey,
} from '../../../../shared/src/mutations';
import { Programme, ProgrammeAgency, ProgrammeCountry, UnAgency } from '../entities';
import { asStored } from '../../../../shared/src/subgraph';
import { ProgrammeAgencyRole, ProgrammeKind, ProgrammeScope, ProgrammeStatus, ProgrammeTheme } from './enums';
import { registered } from '../../../registry';

/** Acronyms keep their case and spaces (UN Women). */
const ACRONYM = /^[A-Z][A-Za-z0-9 -]{1,19}$/;
const RECORD_ID = /^[A-Z0-9][A-Z0-9-]{1,59}$/;
const PROCESS_CODE = /^[A-Z][A-Z0-9-]{1,19}$/;
const { name: SERVICE_NAME, schema: SCHEMA } = registered('un-partnerships');
const base = { service: SERVICE_NAME, schema: SCHEMA } as const;
const PROGRAMME_REF = { schema: SCHEMA, table: 'programme', column: 'id', what: 'programme' };

const acronymKey: KeyPart = {
  field: 'acronym', column: 'acronym', property: 'acronym',
  parse: (value: unknown, p: Problems) => {
    const acronym = String(value).trim();
    if (!ACRONYM.test(acronym)) {
      p.add('acronym', 'must be an agency acronym, such as UNHCR or UN Women');
      return undefined;
    }
    return acronym;
  },
};

export const agencyTable: EditableTable<UnAgency> = {
  ...base, table: 'un_agency', entity: 'UnAgency', target: UnAgency, key: [acronymKey],
  dependents: [
    { table: 'programme_agency', column: 'agency_acronym', what: 'programme role(s)' },
    { table: 'custodianship', column: 'agency_acronym', what: 'custodianship(s)', softDeletes: false },
  ],
};
export const programmeTable: EditableTable<Programme> = {
  ...base, table: 'programme', entity: 'Programme', target: Programme,
  key: [textKey('id', 'id', 'id', RECORD_ID, 'letters, digits and hyphens, such as FMM-WEST-AFRICA')],
  dependents: [
    { table: 'programme_agency', column: 'programme_id', what: 'agency role(s)' },
    { table: 'programme_country', column: 'programme_id', what: 'country record(s)' },
  ],
};
export const programmeAgencyTable: EditableTable<ProgrammeAgency> = {
  ...base, table: 'programme_agency', entity: 'ProgrammeAgency', target: ProgrammeAgency, key: [serialKey()],
};
export const programmeCountryTable: EditableTable<ProgrammeCountry> = {
  ...base, table: 'programme_country', entity: 'ProgrammeCountry', target: ProgrammeCountry, key: [serialKey()],
};

const agencySpec: EditableSpec<UnAgency> = {
  table: agencyTable,
  createKey: {
    acronym: { kind: 'code', column: 'acronym', pattern: ACRONYM, hint: 'an acronym such as UNHCR or UN Women (2 to 20 characters)', required: true, keepCase: true },
  },
  fields: {
    name: { kind: 'text', column: 'name', max: 300, required: true },
    mandate: { kind: 'text', column: 'mandate', max: 1000 },
    founded: { kind: 'partialDate', column: 'founded' },
    headquarters: { kind: 'text', column: 'headquarters', max: 200 },
    ...PROVENANCE_RULES,
  },
};

const programmeSpec: EditableSpec<Programme> = {
  table: programmeTable,
  createKey: { id: { kind: 'code', column: 'id', pattern: RECORD_ID, hint: 'letters, digits and hyphens (2 to 60), such as FMM-WEST-AFRICA', required: true } },
  fields: {
    name: { kind: 'text', column: 'name', max: 300, required: true },
    kind: { kind: 'enum', column: 'kind', values: asStored(ProgrammeKind), required: true },
    scope: { kind: 'enum', column: 'scope', values: asStored(ProgrammeScope), required: true },
    description: { kind: 'text', column: 'description', max: 4000 },
    startDate: { kind: 'partialDate', column: 'start_date' },
    endDate: { kind: 'partialDate', column: 'end_date' },
    status: { kind: 'enum', column: 'status', values: asStored(ProgrammeStatus) },
    themes: { kind: 'enumList', column: 'themes', values: asStored(ProgrammeTheme), maxItems: 4 },
    supportsProcess: { kind: 'code', column: 'supports_process', pattern: PROCESS_CODE, hint: 'a process code, such as MIDWA' },
    ...PROVENANCE_RULES,
  },
  // The days that answer "as of", as the seed computes them: the first day of the start, the last of the end.
  derive: (row) => ({
    starts_on: typeof row.start_date === 'string' ? earliestDay(row.start_date) : null,
    ends_on: typeof row.end_date === 'string' ? latestDay(row.end_date) : null,
  }),
  check: (row, p) => checkOrder(p, 'endDate', row.start_date, row.end_date),
};

const programmeAgencySpec: EditableSpec<ProgrammeAgency> = {
  table: programmeAgencyTable,
  fields: {
    programme: { kind: 'code', column: 'programme_id', pattern: RECORD_ID, hint: 'a programme id, such as FMM-WEST-AFRICA', required: true },
    agency: { kind: 'text', column: 'agency_acronym', max: 20, required: true },
    role: { kind: 'enum', column: 'role', values: asStored(ProgrammeAgencyRole), required: true },
    ...PROVENANCE_RULES,
  },
  check: async (row, p, m) => {
    await requireLive(m, p, 'programme', PROGRAMME_REF, row.programme_id);
    await requireLive(m, p, 'agency', { schema: SCHEMA, table: 'un_agency', column: 'acronym', what: 'UN agency' }, row.agency_acronym);
  },
};

const programmeCountrySpec: EditableSpec<ProgrammeCountry> = {
  table: programmeCountryTable,
  fields: {
    programme: { kind: 'code', column: 'programme_id', pattern: RECORD_ID, hint: 'a programme id, such as FMM-WEST-AFRICA', required: true },
    country: { kind: 'country', column: 'country_code', required: true },
    ...PROVENANCE_RULES,
  },
  check: (row, p, m) => requireLive(m, p, 'programme', PROGRAMME_REF, row.programme_id),
};

const agency = mutationResolvers(agencySpec, 'agency');
const programme = mutationResolvers(programmeSpec, 'programme');
const programmeAgency = mutationResolvers(programmeAgencySpec, 'programmeAgency');
const programmeCountry = mutationResolvers(programmeCountrySpec, 'programmeCountry');

export const Mutation = {
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
