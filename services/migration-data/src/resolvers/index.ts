import { badUserInput, existingRecord, notFound } from '../../../../shared/src/graphql/errors';
import { countryReference, provenanceField, type CountryKey } from '../../../../shared/src/graphql/subgraph';
import { countryCodeArg } from '../../../../shared/src/graphql/arguments';
import { isValid, normalise, PROFILE_ID } from '../../../../shared/src/reference/identifiers';
import { parsePage, toConnection } from '../../../../shared/src/graphql/pagination';
import type { Context } from '../context';
import type { StockRevision } from '../entities';
import type { CountryImmigrantStockArgs, CountryTopOriginsArgs, Resolvers } from '../generated/resolvers';
import { StockRevision as StockRevisions, StockSide } from './enums';
import { findIndicators, regionalStock, stockChange, totals } from '../entities/analytics';
import { countrySetArg } from '../countrySet';
import { codeListArg, excludedCodes, requireIndicator, within, yearRangeArg } from './arguments';
import { indicatorResolvers, indicatorValueProvenance } from './indicators';
import { displacementResolvers } from './displacement';
import { missingMigrantsResolvers } from './missingMigrants';
import {
  auditEntryConnectionResolvers,
  auditEntryResolvers,
  historyField,
  internalNoteField,
} from '../../../../shared/src/editing/audit';
import { indicatorValueTable, Mutation, profileTable } from './mutations';
import {
  type CorridorRow,
  findCorridors,
  findProfiles,
  findRevisions,
  type StockYear,
  worldStockByYear,
} from '../entities/queries';

type StockArgs = CountryImmigrantStockArgs;
// `limit` may still be an explicit null, which means the schema's default.
type TopArgs = CountryTopOriginsArgs;
const TOP_DEFAULT = 10;

/**
 * Revisions the graph serves (the StockRevision enum). An import may load others under any name
 * (a scenario, the next edition before it is published to clients); serving one is a deliberate
 * schema change, one enum value, since clients must never mix revisions unknowingly.
 */
const PUBLISHED_REVISIONS = new Set<string>(Object.values(StockRevisions));

/** A revision's name in messages: its enum value. */
const toRevisionEnum = (code: string): string => `REV_${code}`;

/** The revision's row; NOT_FOUND when its seed set has not been loaded. */
async function requireRevision(ctx: Context, value: StockRevisions | null | undefined): Promise<StockRevision> {
  // An explicit null skips the argument's default (REV_2024): treat it as the default.
  const code = value ?? StockRevisions.REV_2024;
  const revision = await ctx.loaders.revision.load(code);
  if (!revision) throw notFound(`The migrant-stock revision ${toRevisionEnum(code)} is not loaded`);
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

async function stockFigures(
  c: CountryKey,
  args: StockArgs,
  ctx: Context,
  loader: Context['loaders']['immigrantStock'],
): Promise<StockYear[]> {
  const revision = await requireRevision(ctx, args.revision);
  const years = yearsArg(revision, args.years);
  const rows = await loader.load({ code: c.code, revision: revision.code });
  return years ? rows.filter((r) => years.has(r.year)) : rows;
}

async function topCorridors(
  c: CountryKey,
  args: TopArgs,
  ctx: Context,
  loader: Context['loaders']['topOrigins'],
): Promise<CorridorRow[]> {
  const revision = await requireRevision(ctx, args.revision);
  const year = yearArg(revision, args.year, 'year');
  return loader.load({
    code: c.code,
    revision: revision.code,
    year,
    limit: args.limit ?? TOP_DEFAULT,
    excluded: excludedCodes(args.countriesOnly),
  });
}

/** The service's fields, checked against its schema by the generated types. */
const serviceResolvers: Resolvers = {
  StockSide,
  StockRevision: StockRevisions,
  Query: {
    migrationProfile: async (_, args, ctx) => {
      const id = normalise(PROFILE_ID, args.id);
      if (!isValid(PROFILE_ID, id)) {
        throw badUserInput(`"${args.id}" is not a migration-profile id`, [
          { field: 'id', message: 'country code and year, such as SEN-2018' },
        ]);
      }
      const profile = await ctx.loaders.profile.load(id);
      if (!profile) throw notFound(`No migration profile has the id "${id}"`);
      return profile;
    },
    migrationProfiles: async (_, args, ctx) => {
      const countryCode = args.country == null ? undefined : countryCodeArg(args.country, 'country');
      const page = parsePage(args);
      const [rows, total] = await findProfiles(ctx.ds, { countryCode, limit: page.limit, offset: page.offset });
      return toConnection(rows, total, page);
    },
    stockRevisions: async (_, __, ctx) => (await findRevisions(ctx.ds)).filter((r) => PUBLISHED_REVISIONS.has(r.code)),
    corridors: async (_, args, ctx) => {
      const page = parsePage(args);
      const set = args.filter.within == null ? null : countrySetArg(args.filter.within, 'filter.within');
      const origins = within(codeListArg(args.filter.origins, 'filter.origins'), set);
      const destinations = within(codeListArg(args.filter.destinations, 'filter.destinations'), set);
      const revision = await requireRevision(ctx, args.revision);
      const year = yearArg(revision, args.filter.year, 'filter.year');
      const [rows, total] = await findCorridors(ctx.ds, {
        revision: revision.code,
        year,
        origins,
        destinations,
        excluded: excludedCodes(args.filter.countriesOnly),
        limit: page.limit,
        offset: page.offset,
      });
      return toConnection(rows, total, page);
    },
    worldStock: async (_, args, ctx) => {
      const revision = await requireRevision(ctx, args.revision);
      const years = yearsArg(revision, args.years);
      const rows = await worldStockByYear(ctx.ds, revision.code);
      return years ? rows.filter((r) => years.has(r.year)) : rows;
    },
    regionalStock: async (_, args, ctx) => {
      const codes = countrySetArg(args.countries, 'countries');
      const revision = await requireRevision(ctx, args.revision);
      const years = yearsArg(revision, args.years);
      return regionalStock(ctx.ds, revision.code, codes, years ? [...years].sort() : revision.years);
    },
    stockChange: async (_, args, ctx) => {
      const codes = countrySetArg(args.countries, 'countries');
      const revision = await requireRevision(ctx, args.revision);
      const from = yearArg(revision, args.from, 'from');
      const to = yearArg(revision, args.to, 'to');
      return stockChange(ctx.ds, revision.code, args.side, codes, from, to);
    },
    indicators: (_, __, ctx) => findIndicators(ctx.ds),
    indicator: (_, args, ctx) => requireIndicator(ctx, args.code),
  },
  Mutation,
  AuditEntry: auditEntryResolvers,
  AuditEntryConnection: auditEntryConnectionResolvers,

  Country: {
    migrationProfiles: (c, _, ctx) => ctx.loaders.profilesByCountry.load(c.code),
    immigrantStock: (c, args, ctx) => stockFigures(c, args, ctx, ctx.loaders.immigrantStock),
    emigrantStock: (c, args, ctx) => stockFigures(c, args, ctx, ctx.loaders.emigrantStock),
    topOrigins: (c, args, ctx) => topCorridors(c, args, ctx, ctx.loaders.topOrigins),
    topDestinations: (c, args, ctx) => topCorridors(c, args, ctx, ctx.loaders.topDestinations),
    indicatorSeries: async (c, args, ctx) => {
      const range = yearRangeArg(args);
      const indicator = await requireIndicator(ctx, args.indicator);
      return ctx.loaders.indicatorValues.load({ code: c.code, indicator: indicator.code, ...range });
    },
  },
  Indicator: {
    __resolveReference: async (ref, ctx) => existingRecord('Indicator', ref.code, await ctx.loaders.indicator.load(ref.code)),
    allowsNegative: (i) => i.allowNegative,
    series: async (i, args, ctx) => {
      const codes = countrySetArg(args.countries, 'countries');
      const range = yearRangeArg(args);
      const lists = await Promise.all(
        codes.map((code) => ctx.loaders.indicatorValues.load({ code, indicator: i.code, ...range })),
      );
      return codes.map((code, n) => ({ code, values: lists[n] })).filter((s) => s.values.length > 0);
    },
  },
  IndicatorSeries: {
    country: (s) => countryReference(s.code),
  },
  IndicatorValue: {
    indicator: async (v, _, ctx) =>
      existingRecord('Indicator', v.indicatorCode, await ctx.loaders.indicator.load(v.indicatorCode)),
    provenance: indicatorValueProvenance,
    country: (v) => countryReference(v.countryCode),
    internalNote: internalNoteField,
    history: historyField(indicatorValueTable),
  },
  StockChange: {
    country: (c) => countryReference(c.code),
    from: (c) => ({ ...c.from, revision: c.revision }),
    to: (c) => ({ ...c.to, revision: c.revision }),
  },
  MigrationProfile: {
    __resolveReference: async (ref, ctx) => existingRecord('MigrationProfile', ref.id, await ctx.loaders.profile.load(ref.id)),
    country: (p) => countryReference(p.countryCode),
    // The column's CHECK allows en and fr only.
    provenance: provenanceField,
    internalNote: internalNoteField,
    history: historyField(profileTable),
  },
  StockRevisionInfo: {
    loadedAt: (r) => r.loadedAt.toISOString(),
    provenance: provenanceField,
  },
  StockFigure: {
    femaleShare: (s) => totals(s.male, s.female).femaleShare,
  },
  Corridor: {
    origin: (c) => countryReference(c.originCode),
    destination: (c) => countryReference(c.destinationCode),
  },
};

/** One resolver map from several: a type's fields come from every part that has the type. */
function mergeTypes(parts: Resolvers[]): Resolvers {
  const out: Record<string, object> = {};
  for (const part of parts) {
    for (const [type, fields] of Object.entries(part) as [string, object][])
      out[type] = type in out ? { ...out[type], ...fields } : fields;
  }
  return out as Resolvers;
}

/** The service's resolver map: its own fields, and those of indicators and forced displacement (resolvers/indicators.ts, resolvers/displacement.ts, resolvers/missingMigrants.ts). */
export const resolvers: Resolvers = mergeTypes([
  serviceResolvers,
  indicatorResolvers,
  displacementResolvers,
  missingMigrantsResolvers,
]);
