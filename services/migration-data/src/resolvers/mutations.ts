import { PROVENANCE_RULES, type Problems } from '../../../../shared/src/editing/validation';
import { asStored, Language } from '../../../../shared/src/graphql/enums';
import type { MutationResolvers } from '../generated/resolvers';
import {
  type EditableSpec,
  type EditableTable,
  identifierKey,
  type KeyPart,
  mutationResolvers,
} from '../../../../shared/src/editing/writes';
import { INDICATOR_CODE, ISBN, named, PROFILE_ID, RECORD_YEARS, spelled } from '../../../../shared/src/reference/identifiers';
import { isKnownCountryCode } from '../../../../shared/src/reference/countries';
import { IndicatorValue, MigrationProfile } from '../entities';
import { registered } from '../../../../shared/src/runtime/registry';

const { name: SERVICE_NAME, schema: SCHEMA } = registered('migration-data');
const base = { service: SERVICE_NAME, schema: SCHEMA } as const;

const countryKey: KeyPart = {
  field: 'country',
  property: 'countryCode',
  parse: (value: unknown, p: Problems) => {
    const code = String(value).trim().toUpperCase();
    if (!isKnownCountryCode(code)) {
      p.add('country', 'must be a code of the country list, such as SEN');
      return undefined;
    }
    return code;
  },
};
const yearKey: KeyPart = {
  field: 'year',
  property: 'year',
  parse: (value: unknown, p: Problems) => {
    if (!Number.isInteger(value) || (value as number) < RECORD_YEARS.min || (value as number) > RECORD_YEARS.max) {
      p.add('year', `must be an integer between ${RECORD_YEARS.min} and ${RECORD_YEARS.max}`);
      return undefined;
    }
    return value;
  },
};

export const profileTable: EditableTable<MigrationProfile> = {
  ...base,
  entity: 'MigrationProfile',
  target: MigrationProfile,
  key: [identifierKey('id', PROFILE_ID, spelled(PROFILE_ID, 'SEN-2018'))],
};
export const indicatorValueTable: EditableTable<IndicatorValue> = {
  ...base,
  entity: 'IndicatorValue',
  target: IndicatorValue,
  key: [identifierKey('indicatorCode', INDICATOR_CODE, named(INDICATOR_CODE, 'NET_MIGRATION'), 'indicator'), countryKey, yearKey],
};

const profileSpec: EditableSpec<MigrationProfile> = {
  table: profileTable,
  createKey: {
    countryCode: { input: 'country', kind: 'country', required: true },
    year: { kind: 'int', ...RECORD_YEARS, required: true },
  },
  fields: {
    title: { kind: 'text', max: 500, required: true },
    language: { kind: 'enum', values: asStored(Language), required: true },
    isbn: { kind: 'code', format: ISBN, hint: named(ISBN) },
    pages: { kind: 'int', min: 1, max: 5000 },
    publisher: { kind: 'text', max: 300 },
    url: { kind: 'url' },
    ...PROVENANCE_RULES,
  },
  // The id is the country and the edition year, as for the seeded profiles.
  derive: (row) => ({ id: `${String(row.country_code)}-${String(row.year)}` }),
};

const indicatorValueSpec: EditableSpec<IndicatorValue> = {
  table: indicatorValueTable,
  createKey: {
    indicatorCode: {
      input: 'indicator',
      kind: 'code',
      format: INDICATOR_CODE,
      hint: named(INDICATOR_CODE, 'NET_MIGRATION'),
      required: true,
    },
    countryCode: { input: 'country', kind: 'country', required: true },
    year: { kind: 'int', ...RECORD_YEARS, required: true },
  },
  fields: {
    value: { kind: 'number', required: true },
    confidence: PROVENANCE_RULES.confidence,
    source: { ...PROVENANCE_RULES.source, required: true },
    internalNote: PROVENANCE_RULES.internalNote,
  },
  // The unit is the catalogue's; a negative value only where the indicator allows it.
  check: async (row, p, m) => {
    const [indicator]: { unit: string; allow_negative: boolean }[] = await m.query(
      `SELECT unit, allow_negative FROM "data"."indicator" WHERE code = $1 FOR SHARE`,
      [row.indicator_code],
    );
    if (!indicator) {
      p.add('indicator', `the catalogue has no indicator "${String(row.indicator_code)}"`);
      return;
    }
    if (!indicator.allow_negative && typeof row.value === 'number' && row.value < 0) {
      p.add('value', `must not be negative: ${String(row.indicator_code)} takes no negative values`);
    }
    return { unit: indicator.unit };
  },
};

const profile = mutationResolvers(profileSpec, 'migrationProfile');
const indicatorValue = mutationResolvers(indicatorValueSpec, 'indicatorValue');

export const Mutation: Required<MutationResolvers> = {
  createMigrationProfile: profile.create,
  updateMigrationProfile: profile.update,
  deleteMigrationProfile: profile.delete,
  restoreMigrationProfile: profile.restore,
  createIndicatorValue: indicatorValue.create,
  updateIndicatorValue: indicatorValue.update,
  deleteIndicatorValue: indicatorValue.delete,
  restoreIndicatorValue: indicatorValue.restore,
};
