import type { DataSource } from 'typeorm';
import { firstPerParent } from '../../../../shared/src/data/firstPerParent';
import { ConsultativeProcess, Meeting, OrganizationMembership, ProcessParticipation, RegionalOrganization } from '.';

/** A process by code or alias, case-insensitive (MIDCAS is also found as DIMAC). */
export function findProcessByCodeOrAlias(ds: DataSource, code: string): Promise<ConsultativeProcess | null> {
  return ds
    .getRepository(ConsultativeProcess)
    .createQueryBuilder('p')
    .where('upper(p.code) = upper(:code)', { code })
    .orWhere('EXISTS (SELECT 1 FROM unnest(p.aliases) a WHERE upper(a) = upper(:code))', { code })
    .getOne();
}

/** An organisation by code or French acronym (ECOWAS / CEDEAO), case-insensitive. */
export function findOrganizationByCodeOrAcronym(ds: DataSource, code: string): Promise<RegionalOrganization | null> {
  return ds
    .getRepository(RegionalOrganization)
    .createQueryBuilder('o')
    .where('upper(o.code) = upper(:code) OR upper(o.frenchAcronym) = upper(:code)', { code })
    .getOne();
}

/** Countries that are members of an organisation on a day (one statement). */
export async function memberCodesOn(
  ds: DataSource,
  organizationCode: string,
  asOf: string,
  includeAssociates: boolean,
): Promise<string[]> {
  const qb = ds
    .getRepository(OrganizationMembership)
    .createQueryBuilder('m')
    .select('DISTINCT m.countryCode', 'code')
    .where('m.organizationCode = :organizationCode', { organizationCode })
    .andWhere('(m.startsOn IS NULL OR m.startsOn <= :asOf) AND (m.endsOn IS NULL OR m.endsOn > :asOf)', { asOf });
  if (!includeAssociates) qb.andWhere("m.membershipType = 'member'");
  const rows: { code: string }[] = await qb.getRawMany();
  return rows.map((r) => r.code);
}

/** States taking part in a process in any role (the sources are undated). */
export async function participantCodes(ds: DataSource, processCode: string): Promise<string[]> {
  const rows: { code: string }[] = await ds
    .getRepository(ProcessParticipation)
    .createQueryBuilder('p')
    .select('DISTINCT p.countryCode', 'code')
    .where('p.processCode = :processCode AND p.countryCode IS NOT NULL', { processCode })
    .getRawMany();
  return rows.map((r) => r.code);
}

export interface MeetingQuery {
  processCode?: string;
  theme?: string;
  countryCode?: string;
  fromYear?: number;
  toYear?: number;
  limit: number;
  offset: number;
}

/** One page of meetings and the total, most recent first. */
export function findMeetings(ds: DataSource, q: MeetingQuery): Promise<[Meeting[], number]> {
  const qb = ds.getRepository(Meeting).createQueryBuilder('m');
  if (q.processCode) qb.andWhere('m.processCode = :processCode', { processCode: q.processCode });
  if (q.theme) qb.andWhere(':theme = ANY(m.themes)', { theme: q.theme });
  if (q.countryCode) qb.andWhere('m.countryCode = :countryCode', { countryCode: q.countryCode });
  if (q.fromYear !== undefined) qb.andWhere('left(m.startDate, 4)::int >= :fromYear', { fromYear: q.fromYear });
  if (q.toYear !== undefined) qb.andWhere('left(m.startDate, 4)::int <= :toYear', { toYear: q.toYear });
  return qb.orderBy('m.startDate', 'DESC', 'NULLS LAST').addOrderBy('m.id', 'ASC').skip(q.offset).take(q.limit).getManyAndCount();
}

/** Which memberships of an organisation a list holds: all of them, or those in force on a day (members only, or associates too). */
export type MembershipFilter = null | { day: string; associates: boolean };

/** The first `first` live memberships of each organisation, ordered by country and start. */
export function firstMembershipsOfOrganizations(
  ds: DataSource,
  codes: string[],
  filter: MembershipFilter,
  first: number,
): Promise<OrganizationMembership[]> {
  const inForce =
    filter === null
      ? undefined
      : `(t.starts_on IS NULL OR t.starts_on <= CAST(:day AS date)) AND (t.ends_on IS NULL OR t.ends_on > CAST(:day AS date))${
          filter.associates ? '' : ` AND t.membership_type = 'member'`
        }`;
  return firstPerParent(ds.getRepository(OrganizationMembership), {
    parentColumn: 'organization_code',
    parents: codes,
    orderBy: 't.country_code, t.starts_on NULLS LAST, t.id',
    ...(inForce === undefined ? {} : { where: inForce, params: { day: filter?.day } }),
    first,
  })
    .orderBy('e.countryCode', 'ASC')
    .addOrderBy('e.startsOn', 'ASC', 'NULLS LAST')
    .addOrderBy('e.id', 'ASC')
    .getMany();
}

/** The first `first` live participations in each process (only one role's when given), in the order recorded. */
export function firstParticipationsOfProcesses(
  ds: DataSource,
  codes: string[],
  role: string | null,
  first: number,
): Promise<ProcessParticipation[]> {
  return firstPerParent(ds.getRepository(ProcessParticipation), {
    parentColumn: 'process_code',
    parents: codes,
    orderBy: 't.id',
    ...(role === null ? {} : { where: 't.role = :role', params: { role } }),
    first,
  })
    .orderBy('e.id', 'ASC')
    .getMany();
}

/** The first `first` live meetings of each process, or held in each country, most recent first. */
export function firstMeetingsOf(
  ds: DataSource,
  by: 'process_code' | 'country_code',
  codes: string[],
  first: number,
): Promise<Meeting[]> {
  return firstPerParent(ds.getRepository(Meeting), {
    parentColumn: by,
    parents: codes,
    orderBy: 't.start_date DESC NULLS FIRST, t.id',
    first,
  })
    .orderBy('e.startDate', 'DESC', 'NULLS FIRST')
    .addOrderBy('e.id', 'ASC')
    .getMany();
}
