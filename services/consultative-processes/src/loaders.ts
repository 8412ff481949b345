import { In, type DataSource } from 'typeorm';
import { groupLoader, rowLoader } from '../../../shared/src/graphql/loaders';
import { readCacheOf } from '../../../shared/src/data/readCache';
import { historyLoader } from '../../../shared/src/editing/audit';
import { registered } from '../../../shared/src/runtime/registry';
import { ConsultativeProcess, Meeting, OrganizationMembership, ProcessParticipation, RegionalOrganization } from './entities';

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
    membershipsByOrganization: groupLoader(
      (codes: readonly string[]) =>
        memberships.find({ where: { organizationCode: In([...codes]) }, order: { countryCode: 'ASC', startsOn: 'ASC' } }),
      (m) => m.organizationCode,
      cache?.scope('membershipsByOrganization'),
    ),
    participationsByCountry: groupLoader(
      (codes: readonly string[]) =>
        participations.find({ where: { countryCode: In([...codes]) }, order: { processCode: 'ASC', role: 'ASC' } }),
      (p) => p.countryCode ?? '',
      cache?.scope('participationsByCountry'),
    ),
    participationsByProcess: groupLoader(
      (codes: readonly string[]) => participations.find({ where: { processCode: In([...codes]) }, order: { id: 'ASC' } }),
      (p) => p.processCode,
      cache?.scope('participationsByProcess'),
    ),
    meetingsByProcess: groupLoader(
      (codes: readonly string[]) => meetings.find({ where: { processCode: In([...codes]) }, order: { startDate: 'DESC' } }),
      (m) => m.processCode,
      cache?.scope('meetingsByProcess'),
    ),
    meetingsByCountry: groupLoader(
      (codes: readonly string[]) => meetings.find({ where: { countryCode: In([...codes]) }, order: { startDate: 'DESC' } }),
      (m) => m.countryCode ?? '',
      cache?.scope('meetingsByCountry'),
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
