import { badUserInput, existingRecord, graphError } from '../../../../shared/src/graphql/errors';
import { countryReference, type CountryKey, provenanceField } from '../../../../shared/src/graphql/subgraph';
import { intArg } from '../../../../shared/src/graphql/arguments';
import type { Context } from '../context';
import type { IndicatorRow, IndicatorValueRow } from '../entities/analytics';
import { indicatorAggregate, indicatorChange } from '../entities/indicators';
import { countrySetArg } from '../countrySet';
import { isSuspectedMissingValueCode, missingValueCodeNote } from '../missingValueCodes';
import type { Resolvers } from '../generated/resolvers';
import { indicatorCodeArg, requireIndicator, yearRangeArg } from './arguments';

/** How many indicators one data sheet may ask for. */
const SHEET_MAX = 50;

/** The indicator fields of a country's dossier, each the latest value of one catalogue indicator. */
const DOSSIER = {
  refugeesHosted: 'UNHCR_REFUGEES_BY_ASYLUM',
  refugeesOriginating: 'UNHCR_REFUGEES_BY_ORIGIN',
  asylumSeekersHosted: 'UNHCR_ASYLUM_SEEKERS_BY_ASYLUM',
  internallyDisplaced: 'UNHCR_IDPS',
  conflictIdps: 'IDMC_IDP_STOCK_CONFLICT',
  disasterIdps: 'IDMC_IDP_STOCK_DISASTER',
  statelessPeople: 'UNHCR_STATELESS',
  remittancesReceived: 'WB_REMITTANCES_RECEIVED_USD',
  remittancesShareOfGdp: 'WB_REMITTANCES_RECEIVED_PCT_GDP',
  netMigration: 'WB_NET_MIGRATION',
  totalPopulation: 'WPP_POPULATION',
} as const;

/** Where an indicator is defined and published: its source and the URL(s) where it is published. */
const indicatorSource = (i: IndicatorRow) => (i.sourceUrl ? `${i.source} | ${i.sourceUrl}` : i.source);

/** An indicator's provenance: its source, the URL(s) where it is published, and the catalogue's confidence. */
export const indicatorProvenance = (i: IndicatorRow) => provenanceField({ source: indicatorSource(i), confidence: i.confidence });

/**
 * A value's provenance: its own where it has one (an editor's or a series file's), otherwise its
 * indicator's, made unverified with a note when the value equals a missing-value code its indicator is checked for.
 */
export async function indicatorValueProvenance(v: IndicatorValueRow, _: unknown, ctx: Context) {
  if (v.source !== null && v.confidence !== null) return provenanceField({ source: v.source, confidence: v.confidence });
  const indicator = existingRecord('Indicator', v.indicatorCode, await ctx.loaders.indicator.load(v.indicatorCode));
  if (!isSuspectedMissingValueCode(v)) return indicatorProvenance(indicator);
  return provenanceField({
    source: indicatorSource(indicator),
    confidence: 'unverified',
    notes: missingValueCodeNote(v.indicatorCode, v.value),
  });
}

const upToYearArg = (value: number | null | undefined): number | null =>
  value == null ? null : intArg(value, 'upToYear', 1900, 2100);

function latest(ctx: Context, code: string, indicator: string, upToYear: number | null | undefined) {
  return ctx.loaders.latestValue.load({ code, indicator, upToYear: upToYearArg(upToYear) });
}

const dossierField = (indicator: string) => (c: CountryKey, args: { upToYear?: number | null }, ctx: Context) =>
  latest(ctx, c.code, indicator, args.upToYear);

export const indicatorResolvers: Resolvers = {
  Indicator: {
    provenance: indicatorProvenance,
    licence: (i) => i.licence,
    additive: (i) => i.additive,
    latest: async (i, args, ctx) => {
      const codes = countrySetArg(args.countries, 'countries');
      const upToYear = upToYearArg(args.upToYear);
      const rows = await ctx.loaders.latestValue.loadMany(codes.map((code) => ({ code, indicator: i.code, upToYear })));
      return rows.filter((r): r is IndicatorValueRow => r !== null && !(r instanceof Error));
    },
    change: (i, args, ctx) => {
      const codes = countrySetArg(args.countries, 'countries');
      const from = intArg(args.from, 'from', 1900, 2100);
      const to = intArg(args.to, 'to', 1900, 2100);
      return indicatorChange(ctx.ds, i.code, codes, from, to);
    },
    aggregate: (i, args, ctx) => {
      if (!i.additive) {
        throw graphError(
          'NOT_ADDITIVE',
          `${i.code} is measured in "${i.unit}", which does not add up across countries: no regional aggregate is given for it`,
          { indicator: i.code, unit: i.unit },
        );
      }
      const codes = countrySetArg(args.countries, 'countries');
      const range = yearRangeArg(args);
      return indicatorAggregate(ctx.ds, i.code, codes, range.fromYear, range.toYear);
    },
  },
  IndicatorChange: {
    country: (c) => countryReference(c.code),
  },
  IndicatorAggregate: {
    // The whole list: the request guard gives the first `first` of it.
    leftOut: (a) => a.leftOut,
    leftOutCount: (a) => a.leftOut.length,
  },
  Country: {
    ...Object.fromEntries(Object.entries(DOSSIER).map(([field, indicator]) => [field, dossierField(indicator)])),
    latestIndicatorValue: async (c, args, ctx) => {
      const indicator = await requireIndicator(ctx, args.indicator);
      return latest(ctx, c.code, indicator.code, args.upToYear);
    },
    dataSheet: async (c, args, ctx) => {
      if (args.indicators.length > SHEET_MAX) {
        throw badUserInput(`\`indicators\` takes at most ${SHEET_MAX} codes, got ${args.indicators.length}`, [
          { field: 'indicators', message: `at most ${SHEET_MAX} codes` },
        ]);
      }
      const range = yearRangeArg(args);
      const codes = [...new Set(args.indicators.map(indicatorCodeArg))];
      const indicators = await Promise.all(codes.map((code) => requireIndicator(ctx, code)));
      const lists = await Promise.all(
        indicators.map((i) => ctx.loaders.indicatorValues.load({ code: c.code, indicator: i.code, ...range })),
      );
      return indicators.map((indicator, n) => ({ indicator, values: lists[n], latest: lists[n].at(-1) ?? null }));
    },
  },
};
