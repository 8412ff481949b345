import { badUserInput, existingRecord, notFound } from '../../../../shared/src/errors';
import { countryReference, provenanceField, type ResolverMap } from '../../../../shared/src/subgraph';
import { countryCodeArg, intArg } from '../../../../shared/src/validate';
import { INDICATOR_CODE, isValid, normalise, PROFILE_ID, spelled } from '../../../../shared/src/identifiers';
import { type PageArgs, parsePage, toConnection } from '../../../../shared/src/connection';
import type { Context } from '../context';
import type { MigrationProfile, StockRevision } from '../entities';
import { findIndicators, type IndicatorRow, type IndicatorValueRow, regionalStock, stockChange, type ChangeRow, totals } from '../entities/analytics';
import { countrySetArg, type CountrySetInput } from '../countrySet';
import { auditEntryResolvers, historyField, restrictedField } from '../../../../shared/src/mutations';
import { indicatorValueTable, Mutation, profileTable } from './mutations';
import { type CorridorRow, findCorridors, findProfiles, findRevisions, type StockYear, worldStockByYear } from '../entities/queries';

type RevisionEnum = 'REV_2024' | 'REV_2020';
type CountryParent = { code: string };

interface StockArgs {
  revision: RevisionEnum;
  years?: number[] | null;
}

interface TopArgs {
  year: number;
  revision: RevisionEnum;
  limit: number;
}

interface CorridorFilter {
  year: number;
  origins?: string[] | null;
  destinations?: string[] | null;
  within?: CountrySetInput | null;
}

interface YearRangeArgs {
  fromYear?: number | null;
  toYear?: number | null;
}

type SideEnum = 'DESTINATION' | 'ORIGIN';
const toSide = (s: SideEnum) => (s === 'DESTINATION' ? 'destination' : 'origin') as 'destination' | 'origin';

const TOP_LIMIT_MAX = 50;
const CODE_LIST_MAX = 300;

/**
 * Revisions the graph serves (the StockRevision enum). An import may load others under any name
 * (a scenario, the next edition before it is published to clients); serving one is a deliberate
 * schema change, one enum value, since clients must never mix revisions unknowingly.
 */
const PUBLISHED_REVISIONS = new Set(['2024', '2020']);

const toRevisionCode = (value: RevisionEnum): string => value.replace(/^REV_/, '');
const toRevisionEnum = (code: string): string => `REV_${code}`;

/** The revision's row; NOT_FOUND when its seed set has not been loaded. */
async function requireRevision(ctx: Context, value: RevisionEnum | null | undefined): Promise<StockRevision> {
  // An explicit null skips the argument's default (REV_2024): treat it as the default.
  const revision = await ctx.loaders.revision.load(toRevisionCode(value ?? 'REV_2024'));
  if (!revision) throw notFound(`The migrant-stock revision ${value} is not loaded`);
  return revision;
}

function yearArg(revision: StockRevision, year: number, field: string): number {
  if (!revision.years.includes(year)) {
    throw badUserInput(
      `\`${field}\` must be one of the years of revision ${toRevisionEnum(revision.code)}: ${revision.years.join(', ')}; got ${year}`,
      [{ field, message: `one of ${revision.years.join(', ')}` }],
    );
  }
  return year;
}

function yearsArg(revision: StockRevision, years: number[] | null | undefined): Set<number> | null {
  if (years == null) return null;
  return new Set(years.map((y) => yearArg(revision, y, 'years')));
}

function codeListArg(codes: string[] | null | undefined, field: string): string[] | null {
  if (codes == null) return null;
  if (codes.length > CODE_LIST_MAX) {
    throw badUserInput(`\`${field}\` takes at most ${CODE_LIST_MAX} codes, got ${codes.length}`, [{ field, message: `at most ${CODE_LIST_MAX} codes` }]);
  }
  return [...new Set(codes.map((c) => countryCodeArg(c, field)))];
}

/** Both ends of a corridor restricted to the set; an explicit list is intersected with it. */
function within(list: string[] | null, set: string[] | null): string[] | null {
  if (set === null) return list;
  return list === null ? set : list.filter((c) => set.includes(c));
}

function yearRangeArg(args: YearRangeArgs): { fromYear: number | null; toYear: number | null } {
  const fromYear = args.fromYear == null ? null : intArg(args.fromYear, 'fromYear', 1900, 2100);
  const toYear = args.toYear == null ? null : intArg(args.toYear, 'toYear', 1900, 2100);
  if (fromYear !== null && toYear !== null && fromYear > toYear) {
    throw badUserInput(`\`fromYear\` (${fromYear}) is after \`toYear\` (${toYear})`, [{ field: 'fromYear', message: 'at most toYear' }]);
  }
  return { fromYear, toYear };
}

function indicatorCodeArg(code: string): string {
  const upper = normalise(INDICATOR_CODE, code);
  if (!isValid(INDICATOR_CODE, upper)) {
    throw badUserInput(`"${code}" is not an indicator code`, [{ field: 'indicator', message: spelled(INDICATOR_CODE, 'NET_MIGRATION') }]);
  }
  return upper;
}

async function requireIndicator(ctx: Context, code: string): Promise<IndicatorRow> {
  const indicator = await ctx.loaders.indicator.load(indicatorCodeArg(code));
  if (!indicator) throw notFound(`The indicator catalogue has no indicator "${code.trim().toUpperCase()}"`);
  return indicator;
}

async function stockFigures(
  c: CountryParent,
  args: StockArgs,
  ctx: Context,
  loader: Context['loaders']['immigrantStock'],
): Promise<StockYear[]> {
  const revision = await requireRevision(ctx, args.revision);
  const years = yearsArg(revision, args.years);
  const rows = await loader.load({ code: c.code, revision: revision.code });
  return years ? rows.filter((r) => years.has(r.year)) : rows;
}

async function topCorridors(c: CountryParent, args: TopArgs, ctx: Context, loader: Context['loaders']['topOrigins']): Promise<CorridorRow[]> {
  const limit = intArg(args.limit, 'limit', 1, TOP_LIMIT_MAX);
  const revision = await requireRevision(ctx, args.revision);
  const year = yearArg(revision, args.year, 'year');
  return loader.load({ code: c.code, revision: revision.code, year, limit });
}

export const resolvers: ResolverMap = {
  Mutation,
  AuditEntry: auditEntryResolvers,
  Query: {
    migrationProfile: async (_: unknown, args: { id: string }, ctx: Context) => {
      const id = normalise(PROFILE_ID, args.id);
      if (!isValid(PROFILE_ID, id)) {
        throw badUserInput(`"${args.id}" is not a migration-profile id`, [{ field: 'id', message: 'country code and year, such as SEN-2018' }]);
      }
      const profile = await ctx.loaders.profile.load(id);
      if (!profile) throw notFound(`No migration profile has the id "${id}"`);
      return profile;
    },
    migrationProfiles: (_: unknown, args: { country?: string | null }, ctx: Context) =>
      args.country == null
        ? findProfiles(ctx.ds)
        : ctx.loaders.profilesByCountry.load(countryCodeArg(args.country, 'country')),
    stockRevisions: async (_: unknown, __: unknown, ctx: Context) =>
      (await findRevisions(ctx.ds)).filter((r) => PUBLISHED_REVISIONS.has(r.code)),
    corridors: async (_: unknown, args: { filter: CorridorFilter; revision: RevisionEnum } & PageArgs, ctx: Context) => {
      const page = parsePage(args);
      const set = args.filter.within == null ? null : countrySetArg(args.filter.within, 'filter.within');
      const origins = within(codeListArg(args.filter.origins, 'filter.origins'), set);
      const destinations = within(codeListArg(args.filter.destinations, 'filter.destinations'), set);
      const revision = await requireRevision(ctx, args.revision);
      const year = yearArg(revision, args.filter.year, 'filter.year');
      const [rows, total] = await findCorridors(ctx.ds, {
        revision: revision.code, year, origins, destinations, limit: page.limit, offset: page.offset,
      });
      return toConnection(rows, total, page);
    },
    worldStock: async (_: unknown, args: StockArgs, ctx: Context) => {
      const revision = await requireRevision(ctx, args.revision);
      const years = yearsArg(revision, args.years);
      const rows = await worldStockByYear(ctx.ds, revision.code);
      return years ? rows.filter((r) => years.has(r.year)) : rows;
    },
    regionalStock: async (_: unknown, args: StockArgs & { countries: CountrySetInput }, ctx: Context) => {
      const codes = countrySetArg(args.countries, 'countries');
      const revision = await requireRevision(ctx, args.revision);
      const years = yearsArg(revision, args.years);
      return regionalStock(ctx.ds, revision.code, codes, years ? [...years].sort() : revision.years);
    },
    stockChange: async (
      _: unknown,
      args: { countries: CountrySetInput; from: number; to: number; side: SideEnum; revision: RevisionEnum },
      ctx: Context,
    ) => {
      const codes = countrySetArg(args.countries, 'countries');
      const revision = await requireRevision(ctx, args.revision);
      const from = yearArg(revision, args.from, 'from');
      const to = yearArg(revision, args.to, 'to');
      return stockChange(ctx.ds, revision.code, toSide(args.side), codes, from, to);
    },
    indicators: (_: unknown, __: unknown, ctx: Context) => findIndicators(ctx.ds),
    indicator: (_: unknown, args: { code: string }, ctx: Context) => requireIndicator(ctx, args.code),
  },
  Country: {
    migrationProfiles: (c: CountryParent, _: unknown, ctx: Context) => ctx.loaders.profilesByCountry.load(c.code),
    immigrantStock: (c: CountryParent, args: StockArgs, ctx: Context) => stockFigures(c, args, ctx, ctx.loaders.immigrantStock),
    emigrantStock: (c: CountryParent, args: StockArgs, ctx: Context) => stockFigures(c, args, ctx, ctx.loaders.emigrantStock),
    topOrigins: (c: CountryParent, args: TopArgs, ctx: Context) => topCorridors(c, args, ctx, ctx.loaders.topOrigins),
    topDestinations: (c: CountryParent, args: TopArgs, ctx: Context) => topCorridors(c, args, ctx, ctx.loaders.topDestinations),
    indicatorSeries: async (c: CountryParent, args: { indicator: string } & YearRangeArgs, ctx: Context) => {
      const range = yearRangeArg(args);
      const indicator = await requireIndicator(ctx, args.indicator);
      return ctx.loaders.indicatorValues.load({ code: c.code, indicator: indicator.code, ...range });
    },
  },
  Indicator: {
    __resolveReference: async (ref: { code: string }, ctx: Context) => existingRecord('Indicator', ref.code, await ctx.loaders.indicator.load(ref.code)),
    allowsNegative: (i: IndicatorRow) => i.allowNegative,
    provenance: (i: IndicatorRow) => provenanceField({ source: i.sourceUrl ? `${i.source} | ${i.sourceUrl}` : i.source, confidence: i.confidence }),
    series: async (i: IndicatorRow, args: { countries: CountrySetInput } & YearRangeArgs, ctx: Context) => {
      const codes = countrySetArg(args.countries, 'countries');
      const range = yearRangeArg(args);
      const lists = await Promise.all(codes.map((code) => ctx.loaders.indicatorValues.load({ code, indicator: i.code, ...range })));
      return codes.map((code, n) => ({ code, values: lists[n] })).filter((s) => s.values.length > 0);
    },
  },
  IndicatorSeries: {
    country: (s: { code: string }) => countryReference(s.code),
  },
  IndicatorValue: {
    indicator: (v: IndicatorValueRow, _: unknown, ctx: Context) => ctx.loaders.indicator.load(v.indicatorCode),
    provenance: (v: IndicatorValueRow) => provenanceField({ source: v.source, confidence: v.confidence }),
    country: (v: IndicatorValueRow) => countryReference(v.countryCode),
    internalNote: restrictedField<IndicatorValueRow>('internalNote'),
    history: historyField(indicatorValueTable),
  },
  StockChange: {
    country: (c: ChangeRow) => countryReference(c.code),
    side: (c: ChangeRow) => c.side.toUpperCase(),
    from: (c: ChangeRow) => ({ ...c.from, revision: c.revision }),
    to: (c: ChangeRow) => ({ ...c.to, revision: c.revision }),
  },
  RegionalStockFigure: {
    revision: (r: { revision: string }) => toRevisionEnum(r.revision),
  },
  MigrationProfile: {
    __resolveReference: async (ref: { id: string }, ctx: Context) => existingRecord('MigrationProfile', ref.id, await ctx.loaders.profile.load(ref.id)),
    country: (p: MigrationProfile) => countryReference(p.countryCode),
    language: (p: MigrationProfile) => p.language.toUpperCase(),
    provenance: provenanceField,
    internalNote: restrictedField<MigrationProfile>('internalNote'),
    history: historyField(profileTable),
  },
  StockRevisionInfo: {
    code: (r: StockRevision) => toRevisionEnum(r.code),
    loadedAt: (r: StockRevision) => r.loadedAt.toISOString(),
    provenance: provenanceField,
  },
  StockFigure: {
    revision: (s: StockYear) => toRevisionEnum(s.revision),
    femaleShare: (s: StockYear) => totals(s.male, s.female).femaleShare,
  },
  Corridor: {
    origin: (c: CorridorRow) => countryReference(c.originCode),
    destination: (c: CorridorRow) => countryReference(c.destinationCode),
    revision: (c: CorridorRow) => toRevisionEnum(c.revision),
  },
};
