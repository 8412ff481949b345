import { In, type DataSource } from 'typeorm';
import { groupLoader, rowLoader } from '../../../shared/src/graphql/loaders';
import { historyLoader } from '../../../shared/src/editing/audit';
import { registered } from '../../../shared/src/runtime/registry';
import { ConsultativeProcess, Meeting, OrganizationMembership, ProcessParticipation, RegionalOrganization } from './entities';

const SCHEMA = registered('consultative-processes').schema;

/** Per-request loaders: one SQL statement per kind of look-up, whatever the number of parents. */
export function createLoaders(ds: DataSource) {
  const orgs = ds.getRepository(RegionalOrganization);
  const processes = ds.getRepository(ConsultativeProcess);
  const memberships = ds.getRepository(OrganizationMembership);
  const participations = ds.getRepository(ProcessParticipation);
  const meetings = ds.getRepository(Meeting);
  return {
    organization: rowLoader(
      (codes: readonly string[]) => orgs.findBy({ code: In([...codes]) }),
      (o) => o.code,
    ),
    process: rowLoader(
      (codes: readonly string[]) => processes.findBy({ code: In([...codes]) }),
      (p) => p.code,
    ),
    meeting: rowLoader(
      (ids: readonly string[]) => meetings.findBy({ id: In([...ids]) }),
      (m) => m.id,
    ),
    membershipsByCountry: groupLoader(
      (codes: readonly string[]) =>
        memberships.find({ where: { countryCode: In([...codes]) }, order: { startsOn: 'ASC', organizationCode: 'ASC' } }),
      (m) => m.countryCode,
    ),
    membershipsByOrganization: groupLoader(
      (codes: readonly string[]) =>
        memberships.find({ where: { organizationCode: In([...codes]) }, order: { countryCode: 'ASC', startsOn: 'ASC' } }),
      (m) => m.organizationCode,
    ),
    participationsByCountry: groupLoader(
      (codes: readonly string[]) =>
        participations.find({ where: { countryCode: In([...codes]) }, order: { processCode: 'ASC', role: 'ASC' } }),
      (p) => p.countryCode ?? '',
    ),
    participationsByProcess: groupLoader(
      (codes: readonly string[]) => participations.find({ where: { processCode: In([...codes]) }, order: { id: 'ASC' } }),
      (p) => p.processCode,
    ),
    meetingsByProcess: groupLoader(
      (codes: readonly string[]) => meetings.find({ where: { processCode: In([...codes]) }, order: { startDate: 'DESC' } }),
      (m) => m.processCode,
    ),
    meetingsByCountry: groupLoader(
      (codes: readonly string[]) => meetings.find({ where: { countryCode: In([...codes]) }, order: { startDate: 'DESC' } }),
      (m) => m.countryCode ?? '',
    ),
    processesByLeadOrganization: groupLoader(
      (codes: readonly string[]) => processes.find({ where: { leadOrganization: In([...codes]) }, order: { code: 'ASC' } }),
      (p) => p.leadOrganization ?? '',
    ),
    /** Audit entries of records (admins only), by entity and key. */
    history: historyLoader(ds, SCHEMA),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
