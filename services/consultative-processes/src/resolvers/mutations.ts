import { earliestDay } from '../../../../shared/src/scalars';
import {
  checkOrder, type EditableSpec, type EditableTable, mutationResolvers, PROVENANCE_RULES, requireLive, type Row, serialKey, textKey,
} from '../../../../shared/src/mutations';
import { ConsultativeProcess, Meeting, OrganizationMembership, ProcessParticipation } from '../entities';
import { asStored } from '../../../../shared/src/subgraph';
import { MeetingTheme, MembershipType, ParticipantRole, ProcessScope, ProcessStatus } from './enums';
import { registered } from '../../../registry';

const PROCESS_CODE = /^[A-Z][A-Z0-9-]{1,19}$/;
const ORGANIZATION_CODE = /^[A-Z][A-Z0-9-]{1,19}$/;
const RECORD_ID = /^[A-Z0-9][A-Z0-9-]{1,59}$/;
const { name: SERVICE_NAME, schema: SCHEMA } = registered('consultative-processes');
const base = { service: SERVICE_NAME, schema: SCHEMA } as const;
const MEETING_KINDS = Object.fromEntries(['ministerial', 'regional', 'thematic_working_group', 'global', 'mission'].map((k) => [k, k]));
const PROCESS_REF = { schema: SCHEMA, table: 'consultative_process', column: 'code', what: 'consultative process' };

export const processTable: EditableTable<ConsultativeProcess> = {
  ...base, table: 'consultative_process', entity: 'ConsultativeProcess', target: ConsultativeProcess,
  key: [textKey('code', 'code', 'code', PROCESS_CODE, 'letters, digits and hyphens, such as MIDWA')],
  dependents: [
    { table: 'process_participation', column: 'process_code', what: 'participation(s)' },
    { table: 'meeting', column: 'process_code', what: 'meeting(s)' },
  ],
};
export const membershipTable: EditableTable<OrganizationMembership> = {
  ...base, table: 'organization_membership', entity: 'OrganizationMembership', target: OrganizationMembership, key: [serialKey()],
};
export const participationTable: EditableTable<ProcessParticipation> = {
  ...base, table: 'process_participation', entity: 'ProcessParticipation', target: ProcessParticipation, key: [serialKey()],
};
export const meetingTable: EditableTable<Meeting> = {
  ...base, table: 'meeting', entity: 'Meeting', target: Meeting,
  key: [textKey('id', 'id', 'id', RECORD_ID, 'letters, digits and hyphens, such as MIDWA-2024-ABUJA')],
};

const processSpec: EditableSpec<ConsultativeProcess> = {
  table: processTable,
  createKey: { code: { kind: 'code', column: 'code', pattern: PROCESS_CODE, hint: 'letters, digits and hyphens (2 to 20), such as MIDWA', required: true } },
  fields: {
    name: { kind: 'text', column: 'name', max: 300, required: true },
    aliases: { kind: 'textList', column: 'aliases', maxItems: 20, maxLength: 200 },
    scope: { kind: 'enum', column: 'scope', values: asStored(ProcessScope), required: true },
    leadOrganizationName: { kind: 'text', column: 'lead_organization', max: 100 },
    established: { kind: 'partialDate', column: 'established' },
    status: { kind: 'enum', column: 'status', values: asStored(ProcessStatus) },
    secretariat: { kind: 'text', column: 'secretariat', max: 300 },
    chair: { kind: 'text', column: 'chair', max: 300 },
    ...PROVENANCE_RULES,
  },
};

/** The calendar days that answer "as of": a period runs from the first day of `from` to the day before the first day of `to`. */
function membershipDays(row: Row): Row {
  const day = (v: unknown) => (typeof v === 'string' ? earliestDay(v) : null);
  return { starts_on: day(row.from_date), ends_on: day(row.to_date) };
}

const membershipSpec: EditableSpec<OrganizationMembership> = {
  table: membershipTable,
  fields: {
    organization: { kind: 'code', column: 'organization_code', pattern: ORGANIZATION_CODE, hint: 'an organisation code, such as ECOWAS', required: true },
    country: { kind: 'country', column: 'country_code', required: true },
    type: { kind: 'enum', column: 'membership_type', values: asStored(MembershipType), required: true },
    from: { kind: 'partialDate', column: 'from_date' },
    to: { kind: 'partialDate', column: 'to_date' },
    ...PROVENANCE_RULES,
  },
  derive: membershipDays,
  check: async (row, p, m) => {
    if (typeof row.starts_on === 'string' && typeof row.ends_on === 'string' && row.ends_on <= row.starts_on) p.add('to', 'must be after `from`');
    await requireLive(
      m, p, 'organization',
      { schema: SCHEMA, table: 'regional_organization', column: 'code', what: 'regional organisation', softDeletes: false },
      row.organization_code,
    );
  },
};

const participationSpec: EditableSpec<ProcessParticipation> = {
  table: participationTable,
  fields: {
    process: { kind: 'code', column: 'process_code', pattern: PROCESS_CODE, hint: 'a process code, such as MIDWA', required: true },
    country: { kind: 'country', column: 'country_code' },
    organization: { kind: 'text', column: 'organization', max: 200 },
    role: { kind: 'enum', column: 'role', values: asStored(ParticipantRole), required: true },
    ...PROVENANCE_RULES,
  },
  derive: (row) => ({ participant_type: row.country_code != null ? 'state' : 'organization' }),
  check: async (row, p, m) => {
    if ((row.country_code == null) === (row.organization == null)) p.add('country', 'give exactly one of country and organization');
    await requireLive(m, p, 'process', PROCESS_REF, row.process_code);
  },
};

const meetingSpec: EditableSpec<Meeting> = {
  table: meetingTable,
  createKey: { id: { kind: 'code', column: 'id', pattern: RECORD_ID, hint: 'letters, digits and hyphens (2 to 60), such as MIDWA-2024-ABUJA', required: true } },
  fields: {
    process: { kind: 'code', column: 'process_code', pattern: PROCESS_CODE, hint: 'a process code, such as MIDWA', required: true },
    title: { kind: 'text', column: 'title', max: 500, required: true },
    kind: { kind: 'enum', column: 'kind', values: MEETING_KINDS, required: true },
    startDate: { kind: 'partialDate', column: 'start_date' },
    endDate: { kind: 'partialDate', column: 'end_date' },
    city: { kind: 'text', column: 'city', max: 200 },
    country: { kind: 'country', column: 'country_code' },
    themes: { kind: 'enumList', column: 'themes', values: asStored(MeetingTheme), maxItems: 7 },
    outcome: { kind: 'text', column: 'outcome', max: 4000 },
    ...PROVENANCE_RULES,
  },
  check: async (row, p, m) => {
    checkOrder(p, 'endDate', row.start_date, row.end_date);
    await requireLive(m, p, 'process', PROCESS_REF, row.process_code);
  },
};

const process = mutationResolvers(processSpec, 'consultativeProcess');
const membership = mutationResolvers(membershipSpec, 'membership');
const participation = mutationResolvers(participationSpec, 'participation');
const meeting = mutationResolvers(meetingSpec, 'meeting');

export const Mutation = {
  createConsultativeProcess: process.create,
  updateConsultativeProcess: process.update,
  deleteConsultativeProcess: process.delete,
  restoreConsultativeProcess: process.restore,
  createOrganizationMembership: membership.create,
  updateOrganizationMembership: membership.update,
  deleteOrganizationMembership: membership.delete,
  restoreOrganizationMembership: membership.restore,
  createProcessParticipation: participation.create,
  updateProcessParticipation: participation.update,
  deleteProcessParticipation: participation.delete,
  restoreProcessParticipation: participation.restore,
  createMeeting: meeting.create,
  updateMeeting: meeting.update,
  deleteMeeting: meeting.delete,
  restoreMeeting: meeting.restore,
};
