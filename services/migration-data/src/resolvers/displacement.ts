import { countryCodeArg, intArg } from '../../../../shared/src/graphql/arguments';
import { countryReference, type CountryKey, provenanceField } from '../../../../shared/src/graphql/subgraph';
import { parsePage, toConnection } from '../../../../shared/src/graphql/pagination';
import type { Context } from '../context';
import type { DisplacementRow } from '../entities/displacement';
import { displacementSeries, findDisplacementCorridors } from '../entities/displacement';
import type { Population } from '../import/displacement';
import { countrySetArg } from '../countrySet';
import type { Resolvers } from '../generated/resolvers';
import { DisplacedPopulation } from './enums';
import { codeListArg, excludedCodes, within, yearRangeArg } from './arguments';

/** The years UNHCR's table covers (2024 is mid-year). */
const FIRST_YEAR = 1990;
const LAST_YEAR = 2024;

/** The population type asked for; GraphQL hands over the stored value (see enums.ts), REFUGEES when none is given. */
const stored = (p: Population | null | undefined): Population => p ?? DisplacedPopulation.REFUGEES;

const SOURCE =
  'UNHCR Refugee Data Finder, data as of 8 October 2024, as cleaned by the gdidata R package (github.com/iom/gdidata, commit c9e4cc69) | https://www.unhcr.org/refugee-statistics/';

const yearArg = (year: number, field: string) => intArg(year, field, FIRST_YEAR, LAST_YEAR);

/** Where a corridor's figure comes from: UNHCR's cell as given; "others of concern" is unverified (see the enum). */
function provenance(r: DisplacementRow) {
  const notes = [
    r.midYear ? 'Mid-year figure: stocks as of 30 June 2024, returns of January to June 2024.' : null,
    r.population === 'refugee_returns' ? 'Returns: origin is the country returned to, asylum the country returned from.' : null,
  ].filter((n) => n !== null);
  return provenanceField({
    source: SOURCE,
    confidence: r.population === 'others_of_concern' ? 'unverified' : 'seen',
    notes: notes.length > 0 ? notes.join(' ') : null,
  });
}

type TopArgs = { year: number; population?: Population | null; limit?: number | null; countriesOnly?: boolean | null };

function top(c: CountryKey, args: TopArgs, loader: Context['loaders']['displacementOrigins']) {
  return loader.load({
    code: c.code,
    population: stored(args.population),
    year: yearArg(args.year, 'year'),
    // The schema's default; the declared cap is checked before the field resolves.
    limit: args.limit ?? 10,
    excluded: excludedCodes(args.countriesOnly),
  });
}

export const displacementResolvers: Resolvers = {
  DisplacedPopulation,
  Query: {
    displacementCorridors: async (_, args, ctx) => {
      const page = parsePage(args);
      const f = args.filter;
      const set = f.within == null ? null : countrySetArg(f.within, 'filter.within');
      const [rows, total] = await findDisplacementCorridors(ctx.ds, {
        population: stored(f.population),
        year: yearArg(f.year, 'filter.year'),
        origins: within(codeListArg(f.origins, 'filter.origins'), set),
        asylums: within(codeListArg(f.asylums, 'filter.asylums'), set),
        excluded: excludedCodes(f.countriesOnly),
        limit: page.limit,
        offset: page.offset,
      });
      return toConnection(rows, total, page);
    },
    displacementSeries: (_, args, ctx) => {
      const range = yearRangeArg(args);
      return displacementSeries(
        ctx.ds,
        countryCodeArg(args.origin, 'origin'),
        countryCodeArg(args.asylum, 'asylum'),
        args.population == null ? null : stored(args.population),
        range.fromYear,
        range.toYear,
      );
    },
  },
  Country: {
    displacementOrigins: (c, args, ctx) => top(c, args, ctx.loaders.displacementOrigins),
    displacementDestinations: (c, args, ctx) => top(c, args, ctx.loaders.displacementDestinations),
  },
  DisplacementCorridor: {
    origin: (r) => countryReference(r.originCode),
    asylum: (r) => countryReference(r.asylumCode),
    provenance,
  },
};
