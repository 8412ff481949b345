import { earliestDay } from '../../../../shared/src/graphql/scalars';
import { checkOrder, PROVENANCE_RULES, type Row } from '../../../../shared/src/editing/validation';
import {
  type EditableSpec,
  type EditableTable,
  identifierKey,
  mutationResolvers,
  reference,
  requireLive,
  serialKey,
} from '../../../../shared/src/editing/writes';
import { named, ORGANIZATION_CODE, PROCESS_CODE, RECORD_ID, spelled } from '../../../../shared/src/reference/identifiers';
import { ConsultativeProcess, Meeting, OrganizationMembership, ProcessParticipation, RegionalOrganization } from '../entities';
import { asStored } from '../../../../shared/src/graphql/enums';
import type { MutationResolvers } from '../generated/resolvers';
import { MeetingTheme, MembershipType, ParticipantRole, ProcessScope, ProcessStatus } from './enums';
import { registered } from '../../../../shared/src/runtime/registry';

const { name: SERVICE_NAME, schema: SCHEMA } = registered('consultative-processes');
const base = { service: SERVICE_NAME, schema: SCHEMA } as const;
const MEETING_KINDS = Object.fromEntries(
  ['ministerial', 'regional', 'thematic_working_group', 'global', 'mission'].map((k) => [k, k]),
);
const PROCESS_REF = reference(ConsultativeProcess, 'code', 'consultative process');

export const processTable: EditableTable<ConsultativeProcess> = {
  ...base,
  entity: 'ConsultativeProcess',
  target: ConsultativeProcess,
  key: [identifierKey('code', PROCESS_CODE, spelled(PROCESS_CODE, 'MIDWA'))],
  dependents: [
    reference(ProcessParticipation, 'processCode', 'participation(s)'),
    reference(Meeting, 'processCode', 'meeting(s)'),
  ],
};
export const membershipTable: EditableTable<OrganizationMembership> = {
  ...base,
  entity: 'OrganizationMembership',
  target: OrganizationMembership,
  key: [serialKey()],
};
export const participationTable: EditableTable<ProcessParticipation> = {
  ...base,
  entity: 'ProcessParticipation',
  target: ProcessParticipation,
  key: [serialKey()],
};
export const meetingTable: EditableTable<Meeting> = {
  ...base,
  entity: 'Meeting',
  target: Meeting,
  key: [identifierKey('id', RECORD_ID, spelled(RECORD_ID, 'MIDWA-2024-ABUJA'))],
};

const processSpec: EditableSpec<ConsultativeProcess> = {
  table: processTable,
  createKey: {
    code: { kind: 'code', format: PROCESS_CODE, hint: spelled(PROCESS_CODE, 'MIDWA', { lengths: true }), required: true },
  },
  fields: {
    name: { kind: 'text', max: 300, required: true },
    aliases: { kind: 'textList', maxItems: 20, maxLength: 200 },
    scope: { kind: 'enum', values: asStored(ProcessScope), required: true },
    leadOrganization: { input: 'leadOrganizationName', kind: 'text', max: 100 },
    established: { kind: 'partialDate' },
    status: { kind: 'enum', values: asStored(ProcessStatus) },
    secretariat: { kind: 'text', max: 300 },
    chair: { kind: 'text', max: 300 },
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
    organizationCode: {
      input: 'organization',
      kind: 'code',
      format: ORGANIZATION_CODE,
      hint: named(ORGANIZATION_CODE, 'ECOWAS'),
      required: true,
    },
    countryCode: { input: 'country', kind: 'country', required: true },
    membershipType: { input: 'type', kind: 'enum', values: asStored(MembershipType), required: true },
    fromDate: { input: 'from', kind: 'partialDate' },
    toDate: { input: 'to', kind: 'partialDate' },
    ...PROVENANCE_RULES,
  },
  derive: membershipDays,
  check: async (row, p, m) => {
    if (typeof row.starts_on === 'string' && typeof row.ends_on === 'string' && row.ends_on <= row.starts_on)
      p.add('to', 'must be after `from`');
    await requireLive(
      m,
      p,
      'organization',
      reference(RegionalOrganization, 'code', 'regional organisation'),
      row.organization_code,
    );
  },
};

const participationSpec: EditableSpec<ProcessParticipation> = {
  table: participationTable,
  fields: {
    processCode: { input: 'process', kind: 'code', format: PROCESS_CODE, hint: named(PROCESS_CODE, 'MIDWA'), required: true },
    countryCode: { input: 'country', kind: 'country' },
    organization: { kind: 'text', max: 200 },
    role: { kind: 'enum', values: asStored(ParticipantRole), required: true },
    ...PROVENANCE_RULES,
  },
  derive: (row) => ({ participant_type: row.country_code != null ? 'state' : 'organization' }),
  check: async (row, p, m) => {
    if ((row.country_code == null) === (row.organization == null))
      p.add('country', 'give exactly one of country and organization');
    await requireLive(m, p, 'process', PROCESS_REF, row.process_code);
  },
};

const meetingSpec: EditableSpec<Meeting> = {
  table: meetingTable,
  createKey: {
    id: { kind: 'code', format: RECORD_ID, hint: spelled(RECORD_ID, 'MIDWA-2024-ABUJA', { lengths: true }), required: true },
  },
  fields: {
    processCode: { input: 'process', kind: 'code', format: PROCESS_CODE, hint: named(PROCESS_CODE, 'MIDWA'), required: true },
    title: { kind: 'text', max: 500, required: true },
    kind: { kind: 'enum', values: MEETING_KINDS, required: true },
    startDate: { kind: 'partialDate' },
    endDate: { kind: 'partialDate' },
    city: { kind: 'text', max: 200 },
    countryCode: { input: 'country', kind: 'country' },
    themes: { kind: 'enumList', values: asStored(MeetingTheme), maxItems: 7 },
    outcome: { kind: 'text', max: 4000 },
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

export const Mutation: Required<MutationResolvers> = {
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
