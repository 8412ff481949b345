import {
  checkOrder, type EditableSpec, type EditableTable, LANGUAGE_VALUES, mutationResolvers, PROVENANCE_RULES, requireLive, serialKey, textKey,
} from '../../../../shared/src/mutations';
import { LegalInstrument, Publication, Training, TreatyAction } from '../entities';
import { asStored } from '../../../../shared/src/subgraph';
import { InstrumentKind, InstrumentScope, InstrumentStatus, PublicationKind, TreatyActionType } from './enums';
import { registered } from '../../../registry';

const INSTRUMENT_CODE = /^[A-Z0-9][A-Z0-9-]{1,29}$/;
const RECORD_ID = /^[A-Z0-9][A-Z0-9-]{1,59}$/;
const { name: SERVICE_NAME, schema: SCHEMA } = registered('legal-instruments');
const base = { service: SERVICE_NAME, schema: SCHEMA } as const;

export const instrumentTable: EditableTable<LegalInstrument> = {
  ...base, table: 'instrument', entity: 'LegalInstrument', target: LegalInstrument,
  key: [textKey('code', 'code', 'code', INSTRUMENT_CODE, 'letters, digits and hyphens, such as AU-KAMPALA')],
  dependents: [{ table: 'treaty_action', column: 'instrument_code', what: 'treaty action(s)' }],
};
export const treatyActionTable: EditableTable<TreatyAction> = {
  ...base, table: 'treaty_action', entity: 'TreatyAction', target: TreatyAction, key: [serialKey()],
};
export const trainingTable: EditableTable<Training> = {
  ...base, table: 'training', entity: 'Training', target: Training,
  key: [textKey('id', 'id', 'id', RECORD_ID, 'letters, digits and hyphens, such as IML-CEDEAO-SEN')],
};
export const publicationTable: EditableTable<Publication> = {
  ...base, table: 'publication', entity: 'Publication', target: Publication,
  key: [textKey('id', 'id', 'id', RECORD_ID, 'letters, digits and hyphens')],
};

const instrumentSpec: EditableSpec<LegalInstrument> = {
  table: instrumentTable,
  createKey: { code: { kind: 'code', column: 'code', pattern: INSTRUMENT_CODE, hint: 'letters, digits and hyphens (2 to 30), such as AU-KAMPALA', required: true } },
  fields: {
    title: { kind: 'text', column: 'title', max: 500, required: true },
    shortTitle: { kind: 'text', column: 'short_title', max: 200 },
    titleFr: { kind: 'text', column: 'title_fr', max: 500 },
    shortTitleFr: { kind: 'text', column: 'short_title_fr', max: 200 },
    kind: { kind: 'enum', column: 'kind', values: asStored(InstrumentKind), required: true },
    scope: { kind: 'enum', column: 'scope', values: asStored(InstrumentScope), required: true },
    adoptingBody: { kind: 'text', column: 'adopting_body', max: 300 },
    adoptedDate: { kind: 'partialDate', column: 'adopted_date' },
    adoptedPlace: { kind: 'text', column: 'adopted_place', max: 200 },
    entryIntoForce: { kind: 'partialDate', column: 'entry_into_force_date' },
    status: { kind: 'enum', column: 'status', values: asStored(InstrumentStatus), required: true },
    depositary: { kind: 'text', column: 'depositary', max: 300 },
    themes: { kind: 'textList', column: 'themes', maxItems: 20, maxLength: 60 },
    ...PROVENANCE_RULES,
  },
  check: (row, p) => checkOrder(p, 'entryIntoForce', row.adopted_date, row.entry_into_force_date, 'must not be before the adoption date'),
};

const treatyActionSpec: EditableSpec<TreatyAction> = {
  table: treatyActionTable,
  fields: {
    instrument: { kind: 'code', column: 'instrument_code', pattern: INSTRUMENT_CODE, hint: 'an instrument code, such as AU-KAMPALA', required: true },
    country: { kind: 'country', column: 'country_code', required: true },
    action: { kind: 'enum', column: 'action', values: asStored(TreatyActionType), required: true },
    date: { kind: 'partialDate', column: 'date' },
    depositDate: { kind: 'partialDate', column: 'deposit_date' },
    effectiveDate: { kind: 'partialDate', column: 'effective_date' },
    ...PROVENANCE_RULES,
  },
  check: async (row, p, m) => {
    checkOrder(p, 'effectiveDate', row.date, row.effective_date, 'must not be before the date of the action');
    await requireLive(m, p, 'instrument', { schema: SCHEMA, table: 'instrument', column: 'code', what: 'instrument' }, row.instrument_code);
  },
};

const trainingSpec: EditableSpec<Training> = {
  table: trainingTable,
  createKey: { id: { kind: 'code', column: 'id', pattern: RECORD_ID, hint: 'letters, digits and hyphens (2 to 60), such as IML-CEDEAO-SEN', required: true } },
  fields: {
    project: { kind: 'text', column: 'project', max: 300, required: true },
    projectType: { kind: 'text', column: 'project_type', max: 200 },
    country: { kind: 'country', column: 'country_code' },
    activity: { kind: 'text', column: 'activity', max: 2000, required: true },
    location: { kind: 'country', column: 'location_code' },
    startDate: { kind: 'partialDate', column: 'start_date' },
    endDate: { kind: 'partialDate', column: 'end_date' },
    duration: { kind: 'text', column: 'duration', max: 100 },
    participants: { kind: 'text', column: 'participants', max: 2000 },
    benefitingMemberState: { kind: 'boolean', column: 'benefiting_member_state' },
    ...PROVENANCE_RULES,
  },
  check: (row, p) => checkOrder(p, 'endDate', row.start_date, row.end_date),
};

const publicationSpec: EditableSpec<Publication> = {
  table: publicationTable,
  createKey: { id: { kind: 'code', column: 'id', pattern: RECORD_ID, hint: 'letters, digits and hyphens (2 to 60)', required: true } },
  fields: {
    title: { kind: 'text', column: 'title', max: 500, required: true },
    kind: { kind: 'enum', column: 'kind', values: asStored(PublicationKind), required: true },
    year: { kind: 'int', column: 'year', min: 1900, max: 2100 },
    language: { kind: 'enum', column: 'language', values: LANGUAGE_VALUES },
    publisher: { kind: 'text', column: 'publisher', max: 300 },
    url: { kind: 'url', column: 'url' },
    countries: { kind: 'countryList', column: 'countries', maxItems: 60 },
    ...PROVENANCE_RULES,
  },
};

const instrument = mutationResolvers(instrumentSpec, 'instrument');
const treatyAction = mutationResolvers(treatyActionSpec, 'treatyAction');
const training = mutationResolvers(trainingSpec, 'training');
const publication = mutationResolvers(publicationSpec, 'publication');

export const Mutation = {
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
