import { badUserInput, existingRecord, notFound } from '../../../../shared/src/errors';
import { countryReference, provenanceField, type ResolverMap } from '../../../../shared/src/subgraph';
import { asOfArg, countryCodeArg } from '../../../../shared/src/validate';
import { type PageArgs, parsePage, toConnection } from '../../../../shared/src/connection';
import { auditEntryResolvers, historyField, restrictedField } from '../../../../shared/src/mutations';
import { agencyTable, Mutation, programmeAgencyTable, programmeCountryTable, programmeTable } from './mutations';
import type { Context } from '../context';
import type { Custodianship, Programme, ProgrammeAgency, ProgrammeCountry, ProgrammeOrganization, UnAgency } from '../entities';
import { findAgencyByAcronym, findProgrammes } from '../entities/queries';

type CountryParent = { code: string };

interface ProgrammeFilter {
  agency?: string | null;
  country?: string | null;
  theme?: string | null;
}

const ACRONYM = /^[A-Za-z][A-Za-z0-9 .-]{0,29}$/;
const PROGRAMME_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

/** Runs on a day: started on or before it and not ended before it. An unknown start or end does not exclude. */
function runsOn(p: Programme, day: string): boolean {
  return (p.startsOn === null || p.startsOn <= day) && (p.endsOn === null || p.endsOn >= day);
}

function isPresent<T>(value: T | null | Error): value is T {
  return value !== null && !(value instanceof Error);
}

async function requireAgency(ctx: Context, acronym: string, field = 'acronym'): Promise<UnAgency> {
  const trimmed = acronym.trim();
  if (!ACRONYM.test(trimmed)) {
    throw badUserInput(`"${acronym}" is not an agency acronym`, [{ field, message: 'letters, digits, spaces or hyphens, at most 30' }]);
  }
  const agency = await findAgencyByAcronym(ctx.ds, trimmed);
  if (!agency) throw notFound(`No UN agency has the acronym "${trimmed}"`);
  return agency;
}

function programmeIdArg(id: string): string {
  const trimmed = id.trim();
  if (!PROGRAMME_ID.test(trimmed)) {
    throw badUserInput(`"${id}" is not a programme identifier`, [{ field: 'id', message: 'letters, digits and hyphens, such as FMM-WEST-AFRICA' }]);
  }
  return trimmed.toUpperCase();
}

/** Programmes linked to a country that run on the day (two statements for any number of countries). */
async function countryProgrammes(ctx: Context, code: string, asOf: string | null | undefined): Promise<Programme[]> {
  const day = asOfArg(asOf);
  const links = await ctx.loaders.programmesByCountry.load(code);
  const programmes = await ctx.loaders.programme.loadMany(links.map((l) => l.programmeId));
  return programmes.filter(isPresent).filter((p) => runsOn(p, day));
}

export const resolvers: ResolverMap = {
  Mutation,
  AuditEntry: auditEntryResolvers,
  Query: {
    unAgency: (_: unknown, args: { acronym: string }, ctx: Context) => requireAgency(ctx, args.acronym),
    unAgencies: (_: unknown, __: unknown, ctx: Context) => ctx.ds.getRepository('UnAgency').find({ order: { acronym: 'ASC' } }),
    programme: async (_: unknown, args: { id: string }, ctx: Context) => {
      const id = programmeIdArg(args.id);
      const programme = await ctx.loaders.programme.load(id);
      if (!programme) throw notFound(`No programme has the identifier "${id}"`);
      return programme;
    },
    programmes: async (_: unknown, args: { filter?: ProgrammeFilter | null } & PageArgs, ctx: Context) => {
      const filter = args.filter ?? {};
      const page = parsePage(args);
      const countryCode = filter.country ? countryCodeArg(filter.country, 'filter.country') : undefined;
      const agencyAcronym = filter.agency ? (await requireAgency(ctx, filter.agency, 'filter.agency')).acronym : undefined;
      const [rows, total] = await findProgrammes(ctx.ds, {
        agencyAcronym,
        countryCode,
        theme: filter.theme ? filter.theme.toLowerCase() : undefined,
        limit: page.limit,
        offset: page.offset,
      });
      return toConnection(rows, total, page);
    },
  },
  Country: {
    programmes: (c: CountryParent, args: { asOf?: string | null }, ctx: Context) => countryProgrammes(ctx, c.code, args.asOf),
    unAgencies: async (c: CountryParent, args: { asOf?: string | null }, ctx: Context) => {
      const programmes = await countryProgrammes(ctx, c.code, args.asOf);
      const roles = (await ctx.loaders.agenciesByProgramme.loadMany(programmes.map((p) => p.id))).filter(isPresent).flat();
      const acronyms = [...new Set(roles.map((r) => r.agencyAcronym))].sort();
      return (await ctx.loaders.agency.loadMany(acronyms)).filter(isPresent);
    },
  },
  UnAgency: {
    __resolveReference: async (ref: { acronym: string }, ctx: Context) => existingRecord('UnAgency', ref.acronym, await ctx.loaders.agency.load(ref.acronym)),
    programmes: async (a: UnAgency, _: unknown, ctx: Context) => {
      const roles = await ctx.loaders.programmesByAgency.load(a.acronym);
      return (await ctx.loaders.programme.loadMany(roles.map((r) => r.programmeId))).filter(isPresent);
    },
    custodianOf: async (a: UnAgency, _: unknown, ctx: Context) =>
      (await ctx.loaders.custodianshipsByAgency.load(a.acronym)).map((c) => ({ code: c.instrumentCode })),
    custodianships: (a: UnAgency, _: unknown, ctx: Context) => ctx.loaders.custodianshipsByAgency.load(a.acronym),
    provenance: provenanceField,
    internalNote: restrictedField<UnAgency>('internalNote'),
    history: historyField(agencyTable),
  },
  LegalInstrument: {
    // The instrument belongs to legal-instruments: this service only adds its custodians.
    __resolveReference: (ref: { code: string }) => ({ code: ref.code }),
    custodians: (i: { code: string }, _: unknown, ctx: Context) => ctx.loaders.custodianshipsByInstrument.load(i.code),
  },
  Custodianship: {
    agency: (c: Custodianship, _: unknown, ctx: Context) => ctx.loaders.agency.load(c.agencyAcronym),
    instrument: (c: Custodianship) => ({ code: c.instrumentCode }),
    role: (c: Custodianship) => c.role.toUpperCase(),
    provenance: provenanceField,
  },
  Programme: {
    __resolveReference: async (ref: { id: string }, ctx: Context) => existingRecord('Programme', ref.id, await ctx.loaders.programme.load(ref.id)),
    kind: (p: Programme) => p.kind.toUpperCase(),
    scope: (p: Programme) => p.scope.toUpperCase(),
    status: (p: Programme) => (p.status ? p.status.toUpperCase() : null),
    themes: (p: Programme) => p.themes.map((t) => t.toUpperCase()),
    agencies: (p: Programme, _: unknown, ctx: Context) => ctx.loaders.agenciesByProgramme.load(p.id),
    organizations: (p: Programme, _: unknown, ctx: Context) => ctx.loaders.organizationsByProgramme.load(p.id),
    countries: (p: Programme, _: unknown, ctx: Context) => ctx.loaders.countriesByProgramme.load(p.id),
    supportsProcess: (p: Programme) => (p.supportsProcess ? { code: p.supportsProcess } : null),
    provenance: provenanceField,
    internalNote: restrictedField<Programme>('internalNote'),
    history: historyField(programmeTable),
  },
  ProgrammeAgency: {
    programme: (x: ProgrammeAgency, _: unknown, ctx: Context) => ctx.loaders.programme.load(x.programmeId),
    agency: (x: ProgrammeAgency, _: unknown, ctx: Context) => ctx.loaders.agency.load(x.agencyAcronym),
    role: (x: ProgrammeAgency) => x.role.toUpperCase(),
    provenance: provenanceField,
    internalNote: restrictedField<ProgrammeAgency>('internalNote'),
    history: historyField(programmeAgencyTable),
  },
  ProgrammeOrganization: {
    name: (o: ProgrammeOrganization) => o.organization,
    role: (o: ProgrammeOrganization) => o.role.toUpperCase(),
    regionalOrganization: (o: ProgrammeOrganization) => (o.regionalOrganization ? { code: o.regionalOrganization } : null),
    provenance: provenanceField,
  },
  ProgrammeCountry: {
    programme: (x: ProgrammeCountry, _: unknown, ctx: Context) => ctx.loaders.programme.load(x.programmeId),
    country: (x: ProgrammeCountry) => countryReference(x.countryCode),
    provenance: provenanceField,
    internalNote: restrictedField<ProgrammeCountry>('internalNote'),
    history: historyField(programmeCountryTable),
  },
};
