import { In, type DataSource } from 'typeorm';
import { groupLoader, rowLoader } from '../../../shared/src/graphql/loaders';
import { historyLoader } from '../../../shared/src/editing/audit';
import { registered } from '../../../shared/src/runtime/registry';
import { Custodianship, Programme, ProgrammeAgency, ProgrammeCountry, ProgrammeOrganization, UnAgency } from './entities';

const SCHEMA = registered('un-partnerships').schema;

/** Per-request loaders: one SQL statement per kind of look-up, whatever the number of parents. */
export function createLoaders(ds: DataSource) {
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
    ),
    programme: rowLoader(
      (ids: readonly string[]) => programmes.findBy({ id: In([...ids]) }),
      (p) => p.id,
    ),
    custodianshipsByAgency: groupLoader(
      (acronyms: readonly string[]) =>
        custodianships.find({ where: { agencyAcronym: In([...acronyms]) }, order: { instrumentCode: 'ASC' } }),
      (c) => c.agencyAcronym,
    ),
    custodianshipsByInstrument: groupLoader(
      (codes: readonly string[]) =>
        custodianships.find({ where: { instrumentCode: In([...codes]) }, order: { agencyAcronym: 'ASC' } }),
      (c) => c.instrumentCode,
    ),
    agenciesByProgramme: groupLoader(
      (ids: readonly string[]) =>
        // 'lead' sorts before 'partner': lead first.
        programmeAgencies.find({ where: { programmeId: In([...ids]) }, order: { role: 'ASC', agencyAcronym: 'ASC' } }),
      (pa) => pa.programmeId,
    ),
    programmesByAgency: groupLoader(
      (acronyms: readonly string[]) =>
        programmeAgencies.find({ where: { agencyAcronym: In([...acronyms]) }, order: { programmeId: 'ASC' } }),
      (pa) => pa.agencyAcronym,
    ),
    organizationsByProgramme: groupLoader(
      (ids: readonly string[]) => organizations.find({ where: { programmeId: In([...ids]) }, order: { id: 'ASC' } }),
      (o) => o.programmeId,
    ),
    countriesByProgramme: groupLoader(
      (ids: readonly string[]) => countries.find({ where: { programmeId: In([...ids]) }, order: { countryCode: 'ASC' } }),
      (c) => c.programmeId,
    ),
    programmesByCountry: groupLoader(
      (codes: readonly string[]) => countries.find({ where: { countryCode: In([...codes]) }, order: { programmeId: 'ASC' } }),
      (c) => c.countryCode,
    ),
    /** Audit entries of records (admins only), by entity and key. */
    history: historyLoader(ds, SCHEMA),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
