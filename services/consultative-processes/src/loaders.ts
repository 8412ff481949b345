import { In, type DataSource } from 'typeorm';
import { cappedGroupLoader, groupLoader, rowLoader } from '../../../shared/src/graphql/loaders';
import { readCacheOf } from '../../../shared/src/data/readCache';
import { historyLoader } from '../../../shared/src/editing/audit';
import { registered } from '../../../shared/src/runtime/registry';
import { ConsultativeProcess, Meeting, OrganizationMembership, ProcessParticipation, RegionalOrganization } from './entities';
import {
  firstMeetingsOf,
  firstMembershipsOfOrganizations,
  firstParticipationsOfProcesses,
  type MembershipFilter,
} from './entities/queries';

const SCHEMA = registered('consultative-processes').schema;

/** Per-request loaders: one SQL statement per kind of look-up, whatever the number of parents. */
export function createLoaders(ds: DataSource) {
  const cache = readCacheOf(ds);
  const orgs = ds.getRepository(RegionalOrganization);
  const processes = ds.getRepository(ConsultativeProcess);
  const memberships = ds.getRepository(OrganizationMembership);
  const participations = ds.getRepository(ProcessParticipation);
  const meetings = ds.getRepository(Meeting);
  return {
    organization: rowLoader(
      (codes: readonly string[]) => orgs.findBy({ code: In([...codes]) }),
      (o) => o.code,
      cache?.scope('organization'),
    ),
    process: rowLoader(
      (codes: readonly string[]) => processes.findBy({ code: In([...codes]) }),
      (p) => p.code,
      cache?.scope('process'),
    ),
    meeting: rowLoader(
      (ids: readonly string[]) => meetings.findBy({ id: In([...ids]) }),
      (m) => m.id,
      cache?.scope('meeting'),
    ),
    membershipsByCountry: groupLoader(
      (codes: readonly string[]) =>
        memberships.find({ where: { countryCode: In([...codes]) }, order: { startsOn: 'ASC', organizationCode: 'ASC' } }),
      (m) => m.countryCode,
      cache?.scope('membershipsByCountry'),
    ),
    participationsByCountry: groupLoader(
      (codes: readonly string[]) =>
        participations.find({ where: { countryCode: In([...codes]) }, order: { processCode: 'ASC', role: 'ASC' } }),
      (p) => p.countryCode ?? '',
      cache?.scope('participationsByCountry'),
    ),
    /** The start of each organisation's memberships (members, membershipHistory): at most `first` read. */
    firstMembershipsByOrganization: cappedGroupLoader<string, MembershipFilter, OrganizationMembership>(
      (codes, filter, first) => firstMembershipsOfOrganizations(ds, codes, filter, first),
      (m) => m.organizationCode,
      cache?.scope('firstMembershipsByOrganization'),
    ),
    /** The start of each process's participations, optionally of one role: at most `first` read. */
    firstParticipationsByProcess: cappedGroupLoader<string, string | null, ProcessParticipation>(
      (codes, role, first) => firstParticipationsOfProcesses(ds, codes, role, first),
      (p) => p.processCode,
      cache?.scope('firstParticipationsByProcess'),
    ),
    /** The most recent meetings of each process: at most `first` read. */
    firstMeetingsByProcess: cappedGroupLoader<string, null, Meeting>(
      (codes, _, first) => firstMeetingsOf(ds, 'process_code', codes, first),
      (m) => m.processCode,
      cache?.scope('firstMeetingsByProcess'),
    ),
    /** The most recent meetings held in each country: at most `first` read. */
    firstMeetingsByCountry: cappedGroupLoader<string, null, Meeting>(
      (codes, _, first) => firstMeetingsOf(ds, 'country_code', codes, first),
      (m) => m.countryCode ?? '',
      cache?.scope('firstMeetingsByCountry'),
    ),
    processesByLeadOrganization: groupLoader(
      (codes: readonly string[]) => processes.find({ where: { leadOrganization: In([...codes]) }, order: { code: 'ASC' } }),
      (p) => p.leadOrganization ?? '',
      cache?.scope('processesByLeadOrganization'),
    ),
    /** Audit entries of records (admins only), by entity and key. */
    history: historyLoader(ds, SCHEMA),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
