import {
  type EditableSpec, type EditableTable, type KeyPart, LANGUAGE_VALUES, mutationResolvers, PROVENANCE_RULES, type Problems, textKey,
} from '../../../../shared/src/mutations';
import { isKnownCountryCode } from '../../../../shared/src/countries';
import { IndicatorValue, MigrationProfile } from '../entities';
import { registered } from '../../../registry';

const PROFILE_ID = /^[A-Z]{3}-\d{4}$/;
const INDICATOR_CODE = /^[A-Z][A-Z0-9_.]{0,39}$/;
const ISBN = /^(?=(?:[^0-9X]*[0-9X]){10}(?:(?:[^0-9X]*[0-9X]){3})?$)[0-9][0-9-]*[0-9X]$/;
const { name: SERVICE_NAME, schema: SCHEMA } = registered('migration-data');
const base = { service: SERVICE_NAME, schema: SCHEMA } as const;

const countryKey: KeyPart = {
  field: 'country', column: 'country_code', property: 'countryCode',
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
  field: 'year', column: 'year', property: 'year',
  parse: (value: unknown, p: Problems) => {
    if (!Number.isInteger(value) || (value as number) < 1900 || (value as number) > 2100) {
      p.add('year', 'must be an integer between 1900 and 2100');
      return undefined;
    }
    return value;
  },
};

export const profileTable: EditableTable<MigrationProfile> = {
  ...base, table: 'migration_profile', entity: 'MigrationProfile', target: MigrationProfile,
  key: [textKey('id', 'id', 'id', PROFILE_ID, 'a country code and a year, such as SEN-2018')],
};
export const indicatorValueTable: EditableTable<IndicatorValue> = {
  ...base, table: 'indicator_value', entity: 'IndicatorValue', target: IndicatorValue,
  key: [textKey('indicator', 'indicator_code', 'indicatorCode', INDICATOR_CODE, 'an indicator code, such as NET_MIGRATION'), countryKey, yearKey],
};

const profileSpec: EditableSpec<MigrationProfile> = {
  table: profileTable,
  createKey: {
    country: { kind: 'country', column: 'country_code', required: true },
    year: { kind: 'int', column: 'year', min: 1900, max: 2100, required: true },
  },
  fields: {
    title: { kind: 'text', column: 'title', max: 500, required: true },
    language: { kind: 'enum', column: 'language', values: LANGUAGE_VALUES, required: true },
    isbn: { kind: 'code', column: 'isbn', pattern: ISBN, hint: 'an ISBN of 10 or 13 digits (hyphens allowed)' },
    pages: { kind: 'int', column: 'pages', min: 1, max: 5000 },
    publisher: { kind: 'text', column: 'publisher', max: 300 },
    url: { kind: 'url', column: 'url' },
    ...PROVENANCE_RULES,
  },
  // The id is the country and the edition year, as for the seeded profiles.
  derive: (row) => ({ id: `${String(row.country_code)}-${String(row.year)}` }),
};

const indicatorValueSpec: EditableSpec<IndicatorValue> = {
  table: indicatorValueTable,
  createKey: {
    indicator: { kind: 'code', column: 'indicator_code', pattern: INDICATOR_CODE, hint: 'an indicator code, such as NET_MIGRATION', required: true },
    country: { kind: 'country', column: 'country_code', required: true },
    year: { kind: 'int', column: 'year', min: 1900, max: 2100, required: true },
  },
  fields: {
    value: { kind: 'number', column: 'value', required: true },
    confidence: PROVENANCE_RULES.confidence,
    source: { kind: 'text', column: 'source', max: 2000, required: true },
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

export const Mutation = {
  createMigrationProfile: profile.create,
  updateMigrationProfile: profile.update,
  deleteMigrationProfile: profile.delete,
  restoreMigrationProfile: profile.restore,
  createIndicatorValue: indicatorValue.create,
  updateIndicatorValue: indicatorValue.update,
  deleteIndicatorValue: indicatorValue.delete,
  restoreIndicatorValue: indicatorValue.restore,
};
