import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { cappedGroupLoader, groupLoader, rowLoader, throughCache } from '../../../shared/src/graphql/loaders';
import { readCacheOf } from '../../../shared/src/data/readCache';
import { historyLoader } from '../../../shared/src/editing/audit';
import { LegalInstrument, MigrationPolicy, Publication, Training, TreatyAction, TreatyCoverage } from './entities';
import { firstActionsOfCountries, firstActionsOfInstruments } from './entities/queries';
import { registered } from '../../../shared/src/runtime/registry';

const SCHEMA = registered('legal-instruments').schema;

const ACTION_ORDER = { instrumentCode: 'ASC', date: 'ASC', action: 'ASC' } as const;

/** Per-request loaders: one SQL statement per kind of look-up, whatever the number of parents. */
export function createLoaders(ds: DataSource) {
  const instruments = ds.getRepository(LegalInstrument);
  const actions = ds.getRepository(TreatyAction);
  const trainings = ds.getRepository(Training);
  const publications = ds.getRepository(Publication);
  const coverage = ds.getRepository(TreatyCoverage);
  const cache = readCacheOf(ds);
  return {
    instrument: rowLoader(
      (codes: readonly string[]) => instruments.findBy({ code: In([...codes]) }),
      (i) => i.code,
      cache?.scope('instrument'),
    ),
    /** Each instrument's participant-list coverage (every instrument has one row). */
    coverage: rowLoader(
      (codes: readonly string[]) => coverage.findBy({ instrumentCode: In([...codes]) }),
      (c) => c.instrumentCode,
      cache?.scope('coverage'),
    ),
    training: rowLoader(
      (ids: readonly string[]) => trainings.findBy({ id: In([...ids]) }),
      (t) => t.id,
      cache?.scope('training'),
    ),
    publication: rowLoader(
      (ids: readonly string[]) => publications.findBy({ id: In([...ids]) }),
      (p) => p.id,
      cache?.scope('publication'),
    ),
    /** Every action of each country, all instruments: statuses are computed from it in memory. */
    actionsByCountry: groupLoader(
      (codes: readonly string[]) => actions.find({ where: { countryCode: In([...codes]) }, order: ACTION_ORDER }),
      (a) => a.countryCode,
      cache?.scope('actionsByCountry'),
    ),
    actionsByInstrument: groupLoader(
      (codes: readonly string[]) =>
        actions.find({ where: { instrumentCode: In([...codes]) }, order: { countryCode: 'ASC', date: 'ASC', action: 'ASC' } }),
      (a) => a.instrumentCode,
      cache?.scope('actionsByInstrument'),
    ),
    /** The start of each instrument's actions (LegalInstrument.treatyActions), optionally of one country: at most `first` read. */
    firstActionsByInstrument: cappedGroupLoader<string, string | null, TreatyAction>(
      (codes: string[], country: string | null, first) => firstActionsOfInstruments(ds, codes, country, first),
      (a) => a.instrumentCode,
      cache?.scope('firstActionsByInstrument'),
    ),
    /** The start of each country's actions (Country.treatyActions), optionally on one instrument: at most `first` read. */
    firstActionsByCountry: cappedGroupLoader<string, string | null, TreatyAction>(
      (codes: string[], instrument: string | null, first) => firstActionsOfCountries(ds, codes, instrument, first),
      (a) => a.countryCode,
      cache?.scope('firstActionsByCountry'),
    ),
    /** Trainings whose country or location is the key: one row may belong to two keys. */
    trainingsByCountry: new DataLoader<string, Training[]>(
      throughCache(async (codes) => {
        const rows = await trainings.find({
          where: [{ countryCode: In([...codes]) }, { locationCode: In([...codes]) }],
          order: { id: 'ASC' },
        });
        return codes.map((code) => rows.filter((t) => t.countryCode === code || t.locationCode === code));
      }, cache?.scope('trainingsByCountry')),
    ),
    policy: rowLoader(
      (ids: readonly string[]) => ds.getRepository(MigrationPolicy).findBy({ id: In([...ids]) }),
      (p) => p.id,
      cache?.scope('policy'),
    ),
    /** Each country's migration policies, by kind and year. */
    policiesByCountry: groupLoader(
      (codes: readonly string[]) =>
        ds
          .getRepository(MigrationPolicy)
          .find({ where: { countryCode: In([...codes]) }, order: { kind: 'ASC', year: 'ASC', id: 'ASC' } }),
      (p) => p.countryCode,
      cache?.scope('policiesByCountry'),
    ),
    /** Audit entries of records (admins only), by entity and key. */
    history: historyLoader(ds, SCHEMA),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
