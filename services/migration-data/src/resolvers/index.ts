import { badUserInput, notFound } from '../../../../shared/src/errors';
import { provenanceField, type ResolverMap } from '../../../../shared/src/subgraph';
import { countryCodeArg, intArg } from '../../../../shared/src/validate';
import { type PageArgs, parsePage, toConnection } from '../../../../shared/src/connection';
import type { Context } from '../context';
import type { MigrationProfile, StockRevision } from '../entities';
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
}

const TOP_LIMIT_MAX = 50;
const CODE_LIST_MAX = 300;
const PROFILE_ID = /^([A-Z]{3})-(\d{4})$/;

const toRevisionCode = (value: RevisionEnum): string => value.replace(/^REV_/, '');
const toRevisionEnum = (code: string): string => `REV_${code}`;

/** The revision's row; NOT_FOUND when its seed set has not been loaded. */
async function requireRevision(ctx: Context, value: RevisionEnum): Promise<StockRevision> {
  const revision = await ctx.loaders.revision.load(toRevisionCode(value));
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
  Query: {
    migrationProfile: async (_: unknown, args: { id: string }, ctx: Context) => {
      const id = args.id.trim().toUpperCase();
      if (!PROFILE_ID.test(id)) {
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
    stockRevisions: (_: unknown, __: unknown, ctx: Context) => findRevisions(ctx.ds),
    corridors: async (_: unknown, args: { filter: CorridorFilter; revision: RevisionEnum } & PageArgs, ctx: Context) => {
      const page = parsePage(args);
      const origins = codeListArg(args.filter.origins, 'filter.origins');
      const destinations = codeListArg(args.filter.destinations, 'filter.destinations');
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
  },
  Country: {
    migrationProfiles: (c: CountryParent, _: unknown, ctx: Context) => ctx.loaders.profilesByCountry.load(c.code),
    immigrantStock: (c: CountryParent, args: StockArgs, ctx: Context) => stockFigures(c, args, ctx, ctx.loaders.immigrantStock),
    emigrantStock: (c: CountryParent, args: StockArgs, ctx: Context) => stockFigures(c, args, ctx, ctx.loaders.emigrantStock),
    topOrigins: (c: CountryParent, args: TopArgs, ctx: Context) => topCorridors(c, args, ctx, ctx.loaders.topOrigins),
    topDestinations: (c: CountryParent, args: TopArgs, ctx: Context) => topCorridors(c, args, ctx, ctx.loaders.topDestinations),
  },
  MigrationProfile: {
    __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.profile.load(ref.id),
    country: (p: MigrationProfile) => ({ code: p.countryCode }),
    language: (p: MigrationProfile) => p.language.toUpperCase(),
    provenance: provenanceField,
  },
  StockRevisionInfo: {
    code: (r: StockRevision) => toRevisionEnum(r.code),
    loadedAt: (r: StockRevision) => r.loadedAt.toISOString(),
    provenance: provenanceField,
  },
  StockFigure: {
    revision: (s: StockYear) => toRevisionEnum(s.revision),
  },
  Corridor: {
    origin: (c: CorridorRow) => ({ code: c.originCode }),
    destination: (c: CorridorRow) => ({ code: c.destinationCode }),
    revision: (c: CorridorRow) => toRevisionEnum(c.revision),
  },
};
