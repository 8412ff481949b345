import type { DataSource } from 'typeorm';
import { Programme, UnAgency } from '.';

/** The key an acronym is matched on: upper case, letters and digits only (UN Women = un-women = UNWOMEN). */
export function acronymKey(acronym: string): string {
  return acronym.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** An agency by acronym, case-insensitive and ignoring spaces, hyphens and dots. */
export function findAgencyByAcronym(ds: DataSource, acronym: string): Promise<UnAgency | null> {
  return ds
    .getRepository(UnAgency)
    .createQueryBuilder('a')
    .where("regexp_replace(upper(a.acronym), '[^A-Z0-9]', '', 'g') = :key", { key: acronymKey(acronym) })
    .getOne();
}

export interface ProgrammeQuery {
  agencyAcronym?: string;
  countryCode?: string;
  theme?: string;
  limit: number;
  offset: number;
}

/** One page of programmes and the total, ordered by identifier. */
export function findProgrammes(ds: DataSource, q: ProgrammeQuery): Promise<[Programme[], number]> {
  const qb = ds.getRepository(Programme).createQueryBuilder('p');
  if (q.agencyAcronym) {
    qb.andWhere(
      'EXISTS (SELECT 1 FROM "partners"."programme_agency" pa WHERE pa.programme_id = p.id AND pa.agency_acronym = :agency)',
      {
        agency: q.agencyAcronym,
      },
    );
  }
  if (q.countryCode) {
    qb.andWhere(
      'EXISTS (SELECT 1 FROM "partners"."programme_country" pc WHERE pc.programme_id = p.id AND pc.country_code = :country)',
      {
        country: q.countryCode,
      },
    );
  }
  if (q.theme) qb.andWhere(':theme = ANY(p.themes)', { theme: q.theme });
  return qb.orderBy('p.id', 'ASC').skip(q.offset).take(q.limit).getManyAndCount();
}
