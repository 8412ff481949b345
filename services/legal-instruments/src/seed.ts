import path from 'node:path';
import type { DataSource } from 'typeorm';
import { blankToNull, readCsv } from '../../../shared/src/io/csv';
import { type SeedResult, seedOnce, splitList } from '../../../shared/src/data/seed';
import { LegalInstrument, MigrationPolicy, Publication, Training, TreatyAction, TreatyCoverage } from './entities';
import { registered } from '../../../shared/src/runtime/registry';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';

const SCHEMA = registered('legal-instruments').schema;

const SEED_DIR = path.join(PROJECT_ROOT, 'services', 'legal-instruments', 'seed');
const file = (name: string) => path.join(SEED_DIR, name);
const FILES = [
  'legal-instruments.csv',
  'ratifications.csv',
  'ratifications-coverage.csv',
  'iml-trainings.csv',
  'publications.csv',
].map(file);

/** yes / no / empty: an empty cell means no source said, so it stays null. */
function yesNo(cell: string | undefined): boolean | null {
  const value = blankToNull(cell);
  if (value === null) return null;
  if (value === 'yes') return true;
  if (value === 'no') return false;
  throw new Error(`Expected yes, no or an empty cell, got "${value}"`);
}

const POLICY_FILES = [file('national-migration-policies.csv')];

/** Short codes of the policy kinds, for stable ids. */
const KIND_CODES: Record<string, string> = {
  'national migration policy': 'NMP',
  'labour migration policy': 'LMP',
  'diaspora policy': 'DP',
  'migration strategy': 'NMS',
};

/**
 * The UN agencies of the un-partnerships service (its reference data, by acronym): a partner named
 * exactly so in `supported_by` is linked to that agency; others (IOM, the EU, GIZ...) stay text.
 */
const UN_AGENCY_ACRONYMS = new Set(['UNODC', 'UNDP', 'UNICEF', 'UNHCR', 'WFP', 'UNFPA', 'UN Women', 'ILO', 'UNAIDS']);

/** true / false, as the coverage file writes them. */
function trueFalse(cell: string | undefined): boolean {
  if (cell === 'true') return true;
  if (cell === 'false') return false;
  throw new Error(`Expected true or false, got "${cell ?? ''}"`);
}

/** The national migration policies, once (their own data set: a change there re-applies only them). */
function seedPolicies(ds: DataSource): Promise<SeedResult> {
  return seedOnce(ds, SCHEMA, 'migration-policies', POLICY_FILES, async (m) => {
    const policies = readCsv(file('national-migration-policies.csv')).map((r) => {
      const year = blankToNull(r.year);
      const supportedBy = splitList(r.supported_by);
      const kind = KIND_CODES[r.kind];
      if (!kind) throw new Error(`Unknown policy kind "${r.kind}"`);
      return {
        id: `${r.iso3}-${kind}-${year ?? 'UNDATED'}`,
        countryCode: r.iso3,
        title: r.title,
        titleEn: blankToNull(r.title_en),
        kind: r.kind,
        status: r.status,
        year: year === null ? null : Number(year),
        supportedBy,
        unAgencies: supportedBy.filter((p) => UN_AGENCY_ACRONYMS.has(p)),
        basedOnMigrationProfile:
          blankToNull(r.based_on_migration_profile) === null ? null : trueFalse(r.based_on_migration_profile),
        // No row names the profile's edition (Guinea's, the one row that built on a profile, is not
        // among migration-data's profiles), so no key is recorded.
        migrationProfileId: null,
        notes: blankToNull(r.notes),
        source: blankToNull(r.source),
        confidence: r.confidence,
      };
    });
    if (new Set(policies.map((p) => p.id)).size !== policies.length) throw new Error('Two policies share an id');
    await m.upsert(MigrationPolicy, policies, ['id']);
    return policies.length;
  });
}

/** Loads the reference data of this domain once (see seed/README.md for origin and confidence). */
export async function seed(ds: DataSource): Promise<SeedResult[]> {
  return [await seedReference(ds), await seedPolicies(ds)];
}

function seedReference(ds: DataSource): Promise<SeedResult> {
  return seedOnce(ds, SCHEMA, 'reference-data', FILES, async (m) => {
    const instruments = readCsv(file('legal-instruments.csv')).map((r) => ({
      code: r.code,
      title: r.title,
      shortTitle: blankToNull(r.short_title),
      kind: r.kind,
      scope: r.scope,
      // French titles only from a source: the seed gives them in optional title_fr / short_title_fr columns.
      titleFr: blankToNull(r.title_fr),
      shortTitleFr: blankToNull(r.short_title_fr),
      adoptingBody: blankToNull(r.adopting_body),
      adoptedDate: blankToNull(r.adopted_date),
      adoptedPlace: blankToNull(r.adopted_place),
      entryIntoForceDate: blankToNull(r.entry_into_force_date),
      status: r.status,
      depositary: blankToNull(r.depositary),
      themes: splitList(r.themes),
      notes: blankToNull(r.notes),
      source: blankToNull(r.source),
      confidence: r.confidence,
    }));
    await m.upsert(LegalInstrument, instruments, ['code']);

    const actions = readCsv(file('ratifications.csv')).map((r) => ({
      instrumentCode: r.instrument,
      countryCode: r.iso3,
      action: r.action,
      date: blankToNull(r.date),
      depositDate: blankToNull(r.deposit_date),
      effectiveDate: blankToNull(r.effective_date),
      notes: blankToNull(r.notes),
      source: blankToNull(r.source),
      confidence: r.confidence,
    }));
    await m.upsert(TreatyAction, actions, ['instrumentCode', 'countryCode', 'action']);

    const coverage = readCsv(file('ratifications-coverage.csv')).map((r) => ({
      instrumentCode: r.instrument,
      sourceList: r.source_list,
      asOf: blankToNull(r.as_of),
      complete: trueFalse(r.complete_for_27),
      statesListed: splitList(r.states_listed, ' '),
      statesAbsent: splitList(r.states_absent, ' '),
      notes: blankToNull(r.notes),
    }));
    await m.upsert(TreatyCoverage, coverage, ['instrumentCode']);

    const trainings = readCsv(file('iml-trainings.csv')).map((r) => ({
      id: r.id,
      project: r.project,
      projectType: blankToNull(r.project_type),
      countryCode: blankToNull(r.country_iso3),
      activity: r.activity,
      locationCode: blankToNull(r.location_iso3),
      startDate: blankToNull(r.start_date),
      endDate: blankToNull(r.end_date),
      duration: blankToNull(r.duration),
      participants: blankToNull(r.participants),
      benefitingMemberState: yesNo(r.benefiting_member_state),
      notes: blankToNull(r.notes),
      source: blankToNull(r.source),
      confidence: r.confidence,
    }));
    await m.upsert(Training, trainings, ['id']);

    const publications = readCsv(file('publications.csv')).map((r) => {
      const year = blankToNull(r.year);
      return {
        id: r.id,
        title: r.title,
        kind: r.kind,
        year: year === null ? null : Number(year),
        language: blankToNull(r.language),
        publisher: blankToNull(r.publisher),
        url: blankToNull(r.url),
        countries: splitList(r.countries),
        notes: blankToNull(r.notes),
        source: blankToNull(r.source),
        confidence: r.confidence,
      };
    });
    await m.upsert(Publication, publications, ['id']);

    return instruments.length + actions.length + coverage.length + trainings.length + publications.length;
  });
}
