import type { DataSource } from 'typeorm';
import { firstPerParent } from '../../../../shared/src/data/firstPerParent';
import { LegalInstrument, MigrationPolicy, Publication, Training, TreatyAction } from '.';

export interface InstrumentQuery {
  kind?: string;
  scope?: string;
  theme?: string;
  status?: string;
  titleContains?: string;
  limit: number;
  offset: number;
}

/** One page of instruments and the total, ordered by code. */
export function findInstruments(ds: DataSource, q: InstrumentQuery): Promise<[LegalInstrument[], number]> {
  const qb = ds.getRepository(LegalInstrument).createQueryBuilder('i');
  if (q.kind) qb.andWhere('i.kind = :kind', { kind: q.kind });
  if (q.scope) qb.andWhere('i.scope = :scope', { scope: q.scope });
  if (q.status) qb.andWhere('i.status = :status', { status: q.status });
  if (q.theme) qb.andWhere('EXISTS (SELECT 1 FROM unnest(i.themes) t WHERE lower(t) = lower(:theme))', { theme: q.theme });
  if (q.titleContains) {
    const pattern = `%${q.titleContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    qb.andWhere('(i.title ILIKE :pattern OR i.shortTitle ILIKE :pattern)', { pattern });
  }
  return qb.orderBy('i.code', 'ASC').skip(q.offset).take(q.limit).getManyAndCount();
}

export interface TreatyActionQuery {
  instrumentCode?: string;
  countryCode?: string;
  action?: string;
  fromYear?: number;
  toYear?: number;
  limit: number;
  offset: number;
}

/** One page of treaty actions and the total. */
export function findTreatyActions(ds: DataSource, q: TreatyActionQuery): Promise<[TreatyAction[], number]> {
  const qb = ds.getRepository(TreatyAction).createQueryBuilder('a');
  if (q.instrumentCode) qb.andWhere('a.instrumentCode = :instrumentCode', { instrumentCode: q.instrumentCode });
  if (q.countryCode) qb.andWhere('a.countryCode = :countryCode', { countryCode: q.countryCode });
  if (q.action) qb.andWhere('a.action = :action', { action: q.action });
  if (q.fromYear !== undefined) qb.andWhere('left(a.date, 4)::int >= :fromYear', { fromYear: q.fromYear });
  if (q.toYear !== undefined) qb.andWhere('left(a.date, 4)::int <= :toYear', { toYear: q.toYear });
  return qb
    .orderBy('a.instrumentCode', 'ASC')
    .addOrderBy('a.countryCode', 'ASC')
    .addOrderBy('a.date', 'ASC', 'NULLS LAST')
    .addOrderBy('a.action', 'ASC')
    .skip(q.offset)
    .take(q.limit)
    .getManyAndCount();
}

export interface TrainingQuery {
  countryCode?: string;
  benefitingMemberState?: boolean;
  limit: number;
  offset: number;
}

/** One page of trainings and the total, ordered by id. */
export function findTrainings(ds: DataSource, q: TrainingQuery): Promise<[Training[], number]> {
  const qb = ds.getRepository(Training).createQueryBuilder('t');
  if (q.countryCode) qb.andWhere('(t.countryCode = :code OR t.locationCode = :code)', { code: q.countryCode });
  if (q.benefitingMemberState !== undefined) qb.andWhere('t.benefitingMemberState = :b', { b: q.benefitingMemberState });
  return qb.orderBy('t.id', 'ASC').skip(q.offset).take(q.limit).getManyAndCount();
}

export interface MigrationPolicyQuery {
  countryCode?: string;
  kind?: string;
  status?: string;
  limit: number;
  offset: number;
}

/** One page of migration policies and the total, ordered by country, kind and year. */
export function findMigrationPolicies(ds: DataSource, q: MigrationPolicyQuery): Promise<[MigrationPolicy[], number]> {
  return ds.getRepository(MigrationPolicy).findAndCount({
    where: {
      ...(q.countryCode ? { countryCode: q.countryCode } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.status ? { status: q.status } : {}),
    },
    order: { countryCode: 'ASC', kind: 'ASC', year: 'ASC', id: 'ASC' },
    skip: q.offset,
    take: q.limit,
  });
}

/** One page of publications and the total, ordered by id. */
export function findPublications(ds: DataSource, q: { limit: number; offset: number }): Promise<[Publication[], number]> {
  return ds.getRepository(Publication).findAndCount({ order: { id: 'ASC' }, skip: q.offset, take: q.limit });
}

/** The first `first` live actions on each instrument (only one country's when given), ordered by country, date and action. */
export function firstActionsOfInstruments(
  ds: DataSource,
  codes: string[],
  countryCode: string | null,
  first: number,
): Promise<TreatyAction[]> {
  return firstPerParent(ds.getRepository(TreatyAction), {
    parentColumn: 'instrument_code',
    parents: codes,
    orderBy: 't.country_code, t.date NULLS LAST, t.action, t.id',
    ...(countryCode === null ? {} : { where: 't.country_code = :countryCode', params: { countryCode } }),
    first,
  })
    .orderBy('e.countryCode', 'ASC')
    .addOrderBy('e.date', 'ASC', 'NULLS LAST')
    .addOrderBy('e.action', 'ASC')
    .addOrderBy('e.id', 'ASC')
    .getMany();
}

/** The first `first` live actions of each country (only on one instrument when given), ordered by instrument, date and action. */
export function firstActionsOfCountries(
  ds: DataSource,
  codes: string[],
  instrumentCode: string | null,
  first: number,
): Promise<TreatyAction[]> {
  return firstPerParent(ds.getRepository(TreatyAction), {
    parentColumn: 'country_code',
    parents: codes,
    orderBy: 't.instrument_code, t.date NULLS LAST, t.action, t.id',
    ...(instrumentCode === null ? {} : { where: 't.instrument_code = :instrumentCode', params: { instrumentCode } }),
    first,
  })
    .orderBy('e.instrumentCode', 'ASC')
    .addOrderBy('e.date', 'ASC', 'NULLS LAST')
    .addOrderBy('e.action', 'ASC')
    .addOrderBy('e.id', 'ASC')
    .getMany();
}
