import { badUserInput, notFound } from '../../../../shared/src/graphql/errors';
import { fold, intArg } from '../../../../shared/src/graphql/arguments';
import { countryReference, countryReferences, provenanceField } from '../../../../shared/src/graphql/subgraph';
import { parsePage, toConnection } from '../../../../shared/src/graphql/pagination';
import type { Context } from '../context';
import { countrySetArg } from '../countrySet';
import {
  type BoundingBox,
  findIncidents,
  incidentPoints,
  incidentsById,
  type IncidentFilter,
  type IncidentRow,
  incidentTotals,
  type RouteRow,
} from '../entities/missingMigrants';
import { UNKNOWN_ORIGIN } from '../import/missingMigrants';
import type { MissingMigrantsFilter, Resolvers } from '../generated/resolvers';
import { MissingMigrantsCause, MissingMigrantsDimension } from './enums';
import { codeListArg, within } from './arguments';

/** MMP's records begin in 2014; the years a filter may name. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;
const SEARCH_MAX = 100;

export const MISSING_MIGRANTS_LICENCE = 'CC BY 4.0 (Creative Commons Attribution 4.0 International)';
export const MISSING_MIGRANTS_ATTRIBUTION =
  "Source: IOM's Missing Migrants Project (missingmigrants.iom.int), data to 30 April 2025, as cleaned by the gdidata R package (github.com/iom/gdidata, commit c9e4cc69). Changes: columns renamed, multi-value fields re-separated with '|', one location's line break removed.";
const SOURCE =
  "IOM's Missing Migrants Project | https://missingmigrants.iom.int/ | gdidata R package, commit c9e4cc69 | https://github.com/iom/gdidata";

/** A route's id: its name folded to lower-case ASCII words joined by dashes, such as western-african-atlantic-route. */
export const routeId = (name: string): string =>
  fold(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const routes = (ctx: Context): Promise<RouteRow[]> => ctx.loaders.migrationRoutes.load({ all: true });

/** Survivors as the graph serves them: a negative published number is unknown. */
const knownSurvivors = (r: IncidentRow): number | null => (r.survivors !== null && r.survivors >= 0 ? r.survivors : null);

function yearArg(value: number | null | undefined, field: string): number | null {
  return value == null ? null : intArg(value, field, FIRST_YEAR, LAST_YEAR);
}

function boundingBoxArg(b: BoundingBox): BoundingBox {
  const problems = [
    ...(['west', 'east'] as const)
      .filter((k) => !(Math.abs(b[k]) <= 180))
      .map((k) => ({ field: `filter.boundingBox.${k}`, message: 'must be between -180 and 180' })),
    ...(['south', 'north'] as const)
      .filter((k) => !(Math.abs(b[k]) <= 90))
      .map((k) => ({ field: `filter.boundingBox.${k}`, message: 'must be between -90 and 90' })),
  ];
  if (problems.length === 0 && b.south > b.north)
    problems.push({ field: 'filter.boundingBox.south', message: 'must be at most north' });
  if (problems.length > 0) {
    throw badUserInput(
      `\`filter.boundingBox\` is not a box in decimal degrees: ${problems.map((p) => `${p.field.slice(19)} ${p.message}`).join('; ')}`,
      problems,
    );
  }
  return b;
}

/** Checks a filter before any SQL runs: years in range and in order, a box in range, known routes and countries. */
async function filterArg(f: MissingMigrantsFilter | null | undefined, ctx: Context): Promise<IncidentFilter> {
  if (f == null) return { routeIds: null, countries: null, fromYear: null, toYear: null, bbox: null, cause: null };
  const fromYear = yearArg(f.fromYear, 'filter.fromYear');
  const toYear = yearArg(f.toYear, 'filter.toYear');
  if (fromYear !== null && toYear !== null && fromYear > toYear) {
    throw badUserInput(`\`filter.fromYear\` (${fromYear}) is after \`filter.toYear\` (${toYear})`, [
      { field: 'filter.fromYear', message: 'at most filter.toYear' },
    ]);
  }
  const bbox = f.boundingBox == null ? null : boundingBoxArg(f.boundingBox);
  const set = f.within == null ? null : countrySetArg(f.within, 'filter.within');
  const countries = within(codeListArg(f.countries, 'filter.countries'), set);
  let routeIds: number[] | null = null;
  if (f.routes != null) {
    const all = await routes(ctx);
    routeIds = [...new Set(f.routes)].map((id) => {
      const route = all.find((r) => routeId(r.name) === id.trim().toLowerCase());
      if (!route) throw notFound(`No Missing Migrants Project route has the id "${id}" (see migrationRoutes)`);
      return route.id;
    });
  }
  return { routeIds, countries, fromYear, toYear, bbox, cause: f.cause ?? null };
}

function routeOf(ctx: Context, id: number): Promise<RouteRow | null> {
  return routes(ctx).then((all) => all.find((r) => r.id === id) ?? null);
}

export const missingMigrantsResolvers: Resolvers = {
  MissingMigrantsCause,
  MissingMigrantsDimension,
  Query: {
    missingMigrantIncidents: async (_, args, ctx) => {
      const page = parsePage(args);
      const filter = await filterArg(args.filter, ctx);
      const [rows, total] = await findIncidents(ctx.ds, filter, page.limit, page.offset);
      return toConnection(rows, total, page);
    },
    missingMigrantIncident: async (_, args, ctx) => {
      const [row] = await incidentsById(ctx.ds, [args.id.trim()]);
      if (!row) throw notFound(`No Missing Migrants Project record has the id "${args.id.trim()}"`);
      return row;
    },
    missingMigrantsTotals: async (_, args, ctx) => {
      // The schema's default; the declared cap is checked before the field resolves.
      const limit = args.limit ?? 100;
      const filter = await filterArg(args.filter, ctx);
      return incidentTotals(ctx.ds, filter, args.by, limit);
    },
    missingMigrantsGeoJson: async (_, args, ctx) => {
      const limit = args.limit ?? 1000;
      const filter = await filterArg(args.filter, ctx);
      const [rows, totalCount] = await incidentPoints(ctx.ds, filter, limit);
      return { rows, totalCount };
    },
    migrationRoutes: async (_, args, ctx) => {
      const all = await routes(ctx);
      if (args.search == null) return all;
      const search = fold(args.search).replace(/\s+/g, ' ').trim();
      if (search.length === 0 || args.search.length > SEARCH_MAX) {
        throw badUserInput(`\`search\` must have 1 to ${SEARCH_MAX} characters`, [
          { field: 'search', message: `1 to ${SEARCH_MAX} characters` },
        ]);
      }
      const matches = (name: string) => fold(name).replace(/\s+/g, ' ').includes(search);
      return all.filter((r) => matches(r.name) || r.aliases.some((a) => matches(a.alias)));
    },
  },
  Country: {
    missingMigrants: (c, args, ctx) => {
      const fromYear = yearArg(args.fromYear, 'fromYear');
      const toYear = yearArg(args.toYear, 'toYear');
      if (fromYear !== null && toYear !== null && fromYear > toYear) {
        throw badUserInput(`\`fromYear\` (${fromYear}) is after \`toYear\` (${toYear})`, [
          { field: 'fromYear', message: 'at most toYear' },
        ]);
      }
      return ctx.loaders.missingMigrants.load({ code: c.code, fromYear, toYear });
    },
  },
  MissingMigrantIncident: {
    route: async (r, _, ctx) => {
      const route = await routeOf(ctx, r.routeId);
      if (!route) throw new Error(`route ${r.routeId} of record ${r.id} is not in the route list`);
      return route;
    },
    country: (r) => countryReference(r.countryCode),
    survivors: knownSurvivors,
    causes: (r) => r.causes as MissingMigrantsCause[],
    origins: (r) => countryReferences(r.originCodes.filter((c) => c !== UNKNOWN_ORIGIN)),
    provenance: (r) => {
      const notes = [
        'Counts are minimum estimates; locations are approximate in most cases.',
        r.recordType.includes('Cumulative')
          ? 'A cumulative record: several deaths over a period; its date and place are not those of one event.'
          : null,
        r.survivors !== null && r.survivors < 0
          ? `The source gives ${r.survivors} survivors, which is impossible: served as unknown.`
          : null,
      ].filter((n) => n !== null);
      return provenanceField({ source: SOURCE, confidence: 'seen', notes: notes.join(' ') });
    },
    licence: () => MISSING_MIGRANTS_LICENCE,
    attribution: () => MISSING_MIGRANTS_ATTRIBUTION,
  },
  MissingMigrantsTotal: {
    route: (t, _, ctx) => (t.routeId === null ? null : routeOf(ctx, t.routeId)),
    country: (t) => countryReference(t.countryCode),
    cause: (t) => t.cause as MissingMigrantsCause | null,
  },
  MigrationRoute: {
    id: (r) => routeId(r.name),
  },
  MigrationRouteAlias: {
    name: (a) => a.alias,
  },
  MissingMigrantsFeatureCollection: {
    type: () => 'FeatureCollection',
    features: (c) => c.rows,
    truncated: (c) => c.rows.length < c.totalCount,
    attribution: () => MISSING_MIGRANTS_ATTRIBUTION,
  },
  MissingMigrantsFeature: {
    type: () => 'Feature',
    geometry: (r) => {
      // incidentPoints takes only records with coordinates.
      if (r.longitude === null || r.latitude === null) throw new Error(`record ${r.id} has no coordinates`);
      return { longitude: r.longitude, latitude: r.latitude };
    },
    properties: (r) => r,
  },
  PointGeometry: {
    type: () => 'Point',
    coordinates: (p) => [p.longitude, p.latitude],
  },
  MissingMigrantsFeatureProperties: {
    route: (r) => r.routeName,
    country: (r) => r.countryCode,
    survivors: knownSurvivors,
  },
};
