import { In, type DataSource } from 'typeorm';
import { groupLoader, rowLoader } from '../../../shared/src/graphql/loaders';
import { readCacheOf } from '../../../shared/src/data/readCache';
import { historyLoader } from '../../../shared/src/editing/audit';
import { registered } from '../../../shared/src/runtime/registry';
import { Custodianship, Programme, ProgrammeAgency, ProgrammeCountry, ProgrammeOrganization, UnAgency } from './entities';

const SCHEMA = registered('un-partnerships').schema;

/** Per-request loaders: one SQL statement per kind of look-up, whatever the number of parents. */
export function createLoaders(ds: DataSource) {
  const cache = readCacheOf(ds);
  const agencies = ds.getRepository(UnAgency);
  const programmes = ds.getRepository(Programme);
  const custodianships = ds.getRepository(Custodianship);
  const programmeAgencies = ds.getRepository(ProgrammeAgency);
  const organizations = ds.getRepository(ProgrammeOrganization);
  const countries = ds.getRepository(ProgrammeCountry);
  return {
    agency: rowLoader(
      (acronyms: readonly string[]) => agencies.findBy({ acronym: In([...acronyms]) }),
      (a) => a.acronym,
      cache?.scope('agency'),
    ),
    programme: rowLoader(
      (ids: readonly string[]) => programmes.findBy({ id: In([...ids]) }),
      (p) => p.id,
      cache?.scope('programme'),
    ),
    custodianshipsByAgency: groupLoader(
      (acronyms: readonly string[]) =>
        custodianships.find({ where: { agencyAcronym: In([...acronyms]) }, order: { instrumentCode: 'ASC' } }),
      (c) => c.agencyAcronym,
      cache?.scope('custodianshipsByAgency'),
    ),
    custodianshipsByInstrument: groupLoader(
      (codes: readonly string[]) =>
        custodianships.find({ where: { instrumentCode: In([...codes]) }, order: { agencyAcronym: 'ASC' } }),
      (c) => c.instrumentCode,
      cache?.scope('custodianshipsByInstrument'),
    ),
    agenciesByProgramme: groupLoader(
      (ids: readonly string[]) =>
        // 'lead' sorts before 'partner': lead first.
        programmeAgencies.find({ where: { programmeId: In([...ids]) }, order: { role: 'ASC', agencyAcronym: 'ASC' } }),
      (pa) => pa.programmeId,
      cache?.scope('agenciesByProgramme'),
    ),
    programmesByAgency: groupLoader(
      (acronyms: readonly string[]) =>
        programmeAgencies.find({ where: { agencyAcronym: In([...acronyms]) }, order: { programmeId: 'ASC' } }),
      (pa) => pa.agencyAcronym,
      cache?.scope('programmesByAgency'),
    ),
    organizationsByProgramme: groupLoader(
      (ids: readonly string[]) => organizations.find({ where: { programmeId: In([...ids]) }, order: { id: 'ASC' } }),
      (o) => o.programmeId,
      cache?.scope('organizationsByProgramme'),
    ),
    countriesByProgramme: groupLoader(
      (ids: readonly string[]) => countries.find({ where: { programmeId: In([...ids]) }, order: { countryCode: 'ASC' } }),
      (c) => c.programmeId,
      cache?.scope('countriesByProgramme'),
    ),
    programmesByCountry: groupLoader(
      (codes: readonly string[]) => countries.find({ where: { countryCode: In([...codes]) }, order: { programmeId: 'ASC' } }),
      (c) => c.countryCode,
      cache?.scope('programmesByCountry'),
    ),
    /** Audit entries of records (admins only), by entity and key. */
    history: historyLoader(ds, SCHEMA),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
