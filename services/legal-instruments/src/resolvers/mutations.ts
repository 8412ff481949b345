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
import { INSTRUMENT_CODE, named, RECORD_ID, RECORD_YEARS, spelled } from '../../../../shared/src/reference/identifiers';
import { LegalInstrument, Publication, Training, TreatyAction } from '../entities';
import { asStored, Language } from '../../../../shared/src/graphql/enums';
import type { MutationResolvers } from '../generated/resolvers';
import { InstrumentKind, InstrumentScope, InstrumentStatus, PublicationKind, TreatyActionType } from './enums';
import { registered } from '../../../../shared/src/runtime/registry';

const { name: SERVICE_NAME, schema: SCHEMA } = registered('legal-instruments');
const base = { service: SERVICE_NAME, schema: SCHEMA } as const;

export const instrumentTable: EditableTable<LegalInstrument> = {
  ...base,
  entity: 'LegalInstrument',
  target: LegalInstrument,
  key: [identifierKey('code', INSTRUMENT_CODE, spelled(INSTRUMENT_CODE, 'AU-KAMPALA'))],
  dependents: [reference(TreatyAction, 'instrumentCode', 'treaty action(s)')],
};
export const treatyActionTable: EditableTable<TreatyAction> = {
  ...base,
  entity: 'TreatyAction',
  target: TreatyAction,
  key: [serialKey()],
};
export const trainingTable: EditableTable<Training> = {
  ...base,
  entity: 'Training',
  target: Training,
  key: [identifierKey('id', RECORD_ID, spelled(RECORD_ID, 'IML-CEDEAO-SEN'))],
};
export const publicationTable: EditableTable<Publication> = {
  ...base,
  entity: 'Publication',
  target: Publication,
  key: [identifierKey('id', RECORD_ID, spelled(RECORD_ID))],
};

const instrumentSpec: EditableSpec<LegalInstrument> = {
  table: instrumentTable,
  createKey: {
    code: {
      kind: 'code',
      format: INSTRUMENT_CODE,
      hint: spelled(INSTRUMENT_CODE, 'AU-KAMPALA', { lengths: true }),
      required: true,
    },
  },
  fields: {
    title: { kind: 'text', max: 500, required: true },
    shortTitle: { kind: 'text', max: 200 },
    titleFr: { kind: 'text', max: 500 },
    shortTitleFr: { kind: 'text', max: 200 },
    kind: { kind: 'enum', values: asStored(InstrumentKind), required: true },
    scope: { kind: 'enum', values: asStored(InstrumentScope), required: true },
    adoptingBody: { kind: 'text', max: 300 },
    adoptedDate: { kind: 'partialDate' },
    adoptedPlace: { kind: 'text', max: 200 },
    entryIntoForceDate: { input: 'entryIntoForce', kind: 'partialDate' },
    status: { kind: 'enum', values: asStored(InstrumentStatus), required: true },
    depositary: { kind: 'text', max: 300 },
    themes: { kind: 'textList', maxItems: 20, maxLength: 60 },
    ...PROVENANCE_RULES,
  },
  check: (row, p) => {
    checkOrder(p, 'entryIntoForce', row.adopted_date, row.entry_into_force_date, 'must not be before the adoption date');
  },
};

const treatyActionSpec: EditableSpec<TreatyAction> = {
  table: treatyActionTable,
  fields: {
    instrumentCode: {
      input: 'instrument',
      kind: 'code',
      format: INSTRUMENT_CODE,
      hint: named(INSTRUMENT_CODE, 'AU-KAMPALA'),
      required: true,
    },
    countryCode: { input: 'country', kind: 'country', required: true },
    action: { kind: 'enum', values: asStored(TreatyActionType), required: true },
    date: { kind: 'partialDate' },
    depositDate: { kind: 'partialDate' },
    effectiveDate: { kind: 'partialDate' },
    ...PROVENANCE_RULES,
  },
  check: async (row, p, m) => {
    checkOrder(p, 'effectiveDate', row.date, row.effective_date, 'must not be before the date of the action');
    await requireLive(m, p, 'instrument', reference(LegalInstrument, 'code', 'instrument'), row.instrument_code);
  },
};

const trainingSpec: EditableSpec<Training> = {
  table: trainingTable,
  createKey: {
    id: { kind: 'code', format: RECORD_ID, hint: spelled(RECORD_ID, 'IML-CEDEAO-SEN', { lengths: true }), required: true },
  },
  fields: {
    project: { kind: 'text', max: 300, required: true },
    projectType: { kind: 'text', max: 200 },
    countryCode: { input: 'country', kind: 'country' },
    activity: { kind: 'text', max: 2000, required: true },
    locationCode: { input: 'location', kind: 'country' },
    startDate: { kind: 'partialDate' },
    endDate: { kind: 'partialDate' },
    duration: { kind: 'text', max: 100 },
    participants: { kind: 'text', max: 2000 },
    benefitingMemberState: { kind: 'boolean' },
    ...PROVENANCE_RULES,
  },
  check: (row, p) => {
    checkOrder(p, 'endDate', row.start_date, row.end_date);
  },
};

const publicationSpec: EditableSpec<Publication> = {
  table: publicationTable,
  createKey: { id: { kind: 'code', format: RECORD_ID, hint: spelled(RECORD_ID, undefined, { lengths: true }), required: true } },
  fields: {
    title: { kind: 'text', max: 500, required: true },
    kind: { kind: 'enum', values: asStored(PublicationKind), required: true },
    year: { kind: 'int', ...RECORD_YEARS },
    language: { kind: 'enum', values: asStored(Language) },
    publisher: { kind: 'text', max: 300 },
    url: { kind: 'url' },
    countries: { kind: 'countryList', maxItems: 60 },
    ...PROVENANCE_RULES,
  },
};

const instrument = mutationResolvers(instrumentSpec, 'instrument');
const treatyAction = mutationResolvers(treatyActionSpec, 'treatyAction');
const training = mutationResolvers(trainingSpec, 'training');
const publication = mutationResolvers(publicationSpec, 'publication');

export const Mutation: Required<MutationResolvers> = {
  createInstrument: instrument.create,
  updateInstrument: instrument.update,
  deleteInstrument: instrument.delete,
  restoreInstrument: instrument.restore,
  createTreatyAction: treatyAction.create,
  updateTreatyAction: treatyAction.update,
  deleteTreatyAction: treatyAction.delete,
  restoreTreatyAction: treatyAction.restore,
  createTraining: training.create,
  updateTraining: training.update,
  deleteTraining: training.delete,
  restoreTraining: training.restore,
  createPublication: publication.create,
  updatePublication: publication.update,
  deletePublication: publication.delete,
  restorePublication: publication.restore,
};
