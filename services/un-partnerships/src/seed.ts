import path from 'node:path';
import type { DataSource } from 'typeorm';
import { blankToNull, readCsv } from '../../../shared/src/io/csv';
import { earliestDay, latestDay } from '../../../shared/src/graphql/scalars';
import { type SeedResult, seedOnce, splitList } from '../../../shared/src/data/seed';
import {
  Custodianship,
  IomFact,
  Programme,
  ProgrammeAgency,
  ProgrammeCountry,
  ProgrammeOrganization,
  UnAgency,
} from './entities';
import { registered } from '../../../shared/src/runtime/registry';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';

const SCHEMA = registered('un-partnerships').schema;

const SEED_DIR = path.join(PROJECT_ROOT, 'services', 'un-partnerships', 'seed');
const file = (name: string) => path.join(SEED_DIR, name);
const FILES = [
  'un-agencies.csv',
  'custodianships.csv',
  'programmes.csv',
  'programme-agencies.csv',
  'programme-organizations.csv',
  'programme-countries.csv',
].map(file);

/** IOM's own figures, once (their own data set). */
function seedIomFacts(ds: DataSource): Promise<SeedResult> {
  return seedOnce(ds, SCHEMA, 'iom-facts', [file('iom-facts.csv')], async (m) => {
    const facts = readCsv(file('iom-facts.csv')).map((r) => ({
      id: `${r.fact}@${blankToNull(r.as_of) ?? 'undated'}${r.as_of === '' ? `:${r.value}` : ''}`,
      fact: r.fact,
      value: r.value,
      asOf: blankToNull(r.as_of),
      source: blankToNull(r.source),
      confidence: r.confidence,
    }));
    if (new Set(facts.map((f) => f.id)).size !== facts.length) throw new Error('Two IOM facts share an id');
    await m.upsert(IomFact, facts, ['id']);
    return facts.length;
  });
}

/** Loads the reference data of this domain once (see seed/README.md for origin and confidence). */
export async function seed(ds: DataSource): Promise<SeedResult[]> {
  return [await seedReference(ds), await seedIomFacts(ds)];
}

function seedReference(ds: DataSource): Promise<SeedResult> {
  return seedOnce(ds, SCHEMA, 'reference-data', FILES, async (m) => {
    const agencies = readCsv(file('un-agencies.csv')).map((r) => ({
      acronym: r.acronym,
      name: r.name,
      mandate: blankToNull(r.mandate),
      founded: blankToNull(r.founded),
      headquarters: blankToNull(r.headquarters),
      notes: blankToNull(r.notes),
      source: blankToNull(r.source),
      confidence: r.confidence,
    }));
    await m.upsert(UnAgency, agencies, ['acronym']);

    const custodianships = readCsv(file('custodianships.csv')).map((r) => ({
      agencyAcronym: r.agency,
      instrumentCode: r.instrument,
      role: r.role,
      notes: blankToNull(r.notes),
      source: blankToNull(r.source),
      confidence: r.confidence,
    }));
    await m.upsert(Custodianship, custodianships, ['agencyAcronym', 'instrumentCode']);

    const programmes = readCsv(file('programmes.csv')).map((r) => {
      const start = blankToNull(r.start_date);
      const end = blankToNull(r.end_date);
      return {
        id: r.id,
        name: r.name,
        kind: r.kind,
        scope: r.scope,
        description: blankToNull(r.description),
        startDate: start,
        endDate: end,
        startsOn: start ? earliestDay(start) : null,
        endsOn: end ? latestDay(end) : null,
        status: blankToNull(r.status),
        themes: splitList(r.themes),
        supportsProcess: blankToNull(r.supports_process),
        notes: blankToNull(r.notes),
        source: blankToNull(r.source),
        confidence: r.confidence,
      };
    });
    await m.upsert(Programme, programmes, ['id']);

    const programmeAgencies = readCsv(file('programme-agencies.csv')).map((r) => ({
      programmeId: r.programme,
      agencyAcronym: r.agency,
      role: r.role,
      notes: blankToNull(r.notes),
      source: blankToNull(r.source),
      confidence: r.confidence,
    }));
    await m.upsert(ProgrammeAgency, programmeAgencies, ['programmeId', 'agencyAcronym']);

    const organizations = readCsv(file('programme-organizations.csv')).map((r) => ({
      programmeId: r.programme,
      organization: r.organization,
      role: r.role,
      regionalOrganization: blankToNull(r.regional_organization),
      notes: blankToNull(r.notes),
      source: blankToNull(r.source),
      confidence: r.confidence,
    }));
    await m.upsert(ProgrammeOrganization, organizations, ['programmeId', 'organization', 'role']);

    const countries = readCsv(file('programme-countries.csv')).map((r) => ({
      programmeId: r.programme,
      countryCode: r.iso3,
      notes: blankToNull(r.notes),
      source: blankToNull(r.source),
      confidence: r.confidence,
    }));
    await m.upsert(ProgrammeCountry, countries, ['programmeId', 'countryCode']);

    return (
      agencies.length +
      custodianships.length +
      programmes.length +
      programmeAgencies.length +
      organizations.length +
      countries.length
    );
  });
}
