import { badUserInput, existingRecord, notFound } from '../../../../shared/src/graphql/errors';
import { countryReference, provenanceField } from '../../../../shared/src/graphql/subgraph';
import { asOfArg, countryCodeArg } from '../../../../shared/src/graphql/arguments';
import { notFoundSuggesting } from '../../../../shared/src/graphql/suggestions';
import { ACRONYM, isValid, normalise, RECORD_ID, spelled } from '../../../../shared/src/reference/identifiers';
import { parsePage, toConnection } from '../../../../shared/src/graphql/pagination';
import {
  auditEntryConnectionResolvers,
  auditEntryResolvers,
  historyField,
  internalNoteField,
} from '../../../../shared/src/editing/audit';
import { agencyTable, Mutation, programmeAgencyTable, programmeCountryTable, programmeTable } from './mutations';
import type { Context } from '../context';
import { IomFact, type Programme, UnAgency } from '../entities';
import type { Resolvers } from '../generated/resolvers';
import {
  CustodianRole,
  ProgrammeAgencyRole,
  ProgrammeKind,
  ProgrammeOrganizationRole,
  ProgrammeScope,
  ProgrammeStatus,
  ProgrammeTheme,
} from './enums';
import { findAgencyByAcronym, findProgrammes } from '../entities/queries';
import { acronymOfFrench, frenchNameOf } from '../frenchNames';
import { Language } from '../../../../shared/src/graphql/enums';

/** Runs on a day: started on or before it and not ended before it. An unknown start or end does not exclude. */
function runsOn(p: Programme, day: string): boolean {
  return (p.startsOn === null || p.startsOn <= day) && (p.endsOn === null || p.endsOn >= day);
}

function isPresent<T>(value: T | null | Error): value is T {
  return value !== null && !(value instanceof Error);
}

async function requireAgency(ctx: Context, acronym: string, field = 'acronym'): Promise<UnAgency> {
  const trimmed = acronym.trim();
  // Looked up without regard to case, so checked against the stored format in one case.
  if (!isValid(ACRONYM, trimmed.toUpperCase())) {
    throw badUserInput(`"${acronym}" is not an agency acronym`, [
      { field, message: `${ACRONYM.spelling}, at most ${ACRONYM.maxLength}` },
    ]);
  }
  // The English acronym first (UNICEF and UNFPA are the same in French), then the French one (OIT, HCR).
  const french = acronymOfFrench(trimmed);
  const agency = (await findAgencyByAcronym(ctx.ds, trimmed)) ?? (french ? await findAgencyByAcronym(ctx.ds, french) : null);
  if (!agency) {
    const agencies = await ctx.ds.getRepository(UnAgency).find({ order: { acronym: 'ASC' } });
    throw notFoundSuggesting(
      `No UN agency has the acronym "${trimmed}"`,
      trimmed,
      agencies.map((a) => {
        const fr = frenchNameOf(a.acronym);
        return { code: a.acronym, name: a.name, alternateCodes: fr ? [fr.acronym] : [] };
      }),
    );
  }
  return agency;
}

function programmeIdArg(id: string): string {
  const normalised = normalise(RECORD_ID, id);
  if (!isValid(RECORD_ID, normalised)) {
    throw badUserInput(`"${id}" is not a programme identifier`, [
      { field: 'id', message: spelled(RECORD_ID, 'FMM-WEST-AFRICA') },
    ]);
  }
  return normalised;
}

/** Programmes linked to a country that run on the day (two statements for any number of countries). */
async function countryProgrammes(ctx: Context, code: string, asOf: string | null | undefined): Promise<Programme[]> {
  const day = asOfArg(asOf);
  const links = await ctx.loaders.programmesByCountry.load(code);
  const programmes = await ctx.loaders.programme.loadMany(links.map((l) => l.programmeId));
  return programmes.filter(isPresent).filter((p) => runsOn(p, day));
}

/** The service's fields, checked against its schema by the generated types. */
export const resolvers: Resolvers = {
  CustodianRole,
  ProgrammeKind,
  ProgrammeScope,
  ProgrammeStatus,
  ProgrammeTheme,
  ProgrammeAgencyRole,
  ProgrammeOrganizationRole,
  IomFact: {
    dated: (f) => f.asOf !== null,
    provenance: provenanceField,
  },
  Query: {
    unAgency: (_, args, ctx) => requireAgency(ctx, args.acronym),
    unAgencies: (_, __, ctx) => ctx.ds.getRepository(UnAgency).find({ order: { acronym: 'ASC' } }),
    iomFacts: async (_, args, ctx) => {
      const fact = args.fact?.trim();
      if (fact !== undefined && !/^[a-z_]{1,60}$/.test(fact)) {
        throw badUserInput(`"${args.fact ?? ''}" is not a fact name`, [
          { field: 'fact', message: 'lower-case letters and underscores, such as member_states_count' },
        ]);
      }
      const rows = await ctx.ds.getRepository(IomFact).find({ where: fact ? { fact } : {}, order: { fact: 'ASC', id: 'ASC' } });
      // Dated figures first, oldest first; undated ones after (their order says nothing).
      return rows.sort((a, b) =>
        a.fact !== b.fact
          ? a.fact < b.fact
            ? -1
            : 1
          : a.asOf === b.asOf
            ? 0
            : a.asOf === null
              ? 1
              : b.asOf === null
                ? -1
                : a.asOf < b.asOf
                  ? -1
                  : 1,
      );
    },
    programme: async (_, args, ctx) => {
      const id = programmeIdArg(args.id);
      const programme = await ctx.loaders.programme.load(id);
      if (!programme) throw notFound(`No programme has the identifier "${id}"`);
      return programme;
    },
    programmes: async (_, args, ctx) => {
      const filter = args.filter ?? {};
      const page = parsePage(args);
      const countryCode = filter.country ? countryCodeArg(filter.country, 'filter.country') : undefined;
      const agencyAcronym = filter.agency ? (await requireAgency(ctx, filter.agency, 'filter.agency')).acronym : undefined;
      const [rows, total] = await findProgrammes(ctx.ds, {
        agencyAcronym,
        countryCode,
        theme: filter.theme ?? undefined,
        limit: page.limit,
        offset: page.offset,
      });
      return toConnection(rows, total, page);
    },
  },
  Mutation,
  AuditEntry: auditEntryResolvers,
  AuditEntryConnection: auditEntryConnectionResolvers,

  Country: {
    programmes: (c, args, ctx) => countryProgrammes(ctx, c.code, args.asOf),
    unAgencies: async (c, args, ctx) => {
      const programmes = await countryProgrammes(ctx, c.code, args.asOf);
      const roles = (await ctx.loaders.agenciesByProgramme.loadMany(programmes.map((p) => p.id))).filter(isPresent).flat();
      const acronyms = [...new Set(roles.map((r) => r.agencyAcronym))].sort();
      return (await ctx.loaders.agency.loadMany(acronyms)).filter(isPresent);
    },
  },
  UnAgency: {
    __resolveReference: async (ref, ctx) => existingRecord('UnAgency', ref.acronym, await ctx.loaders.agency.load(ref.acronym)),
    name: (a, args) => (args.lang === Language.FR ? (frenchNameOf(a.acronym)?.name ?? a.name) : a.name),
    abbreviation: (a, args) => (args.lang === Language.FR ? (frenchNameOf(a.acronym)?.acronym ?? a.acronym) : a.acronym),
    nameLanguages: (a) => (frenchNameOf(a.acronym) ? [Language.EN, Language.FR] : [Language.EN]),
    programmes: async (a, _, ctx) => {
      const roles = await ctx.loaders.programmesByAgency.load(a.acronym);
      return (await ctx.loaders.programme.loadMany(roles.map((r) => r.programmeId))).filter(isPresent);
    },
    custodianOf: async (a, _, ctx) =>
      (await ctx.loaders.custodianshipsByAgency.load(a.acronym)).map((c) => ({ code: c.instrumentCode })),
    custodianships: (a, _, ctx) => ctx.loaders.custodianshipsByAgency.load(a.acronym),
    provenance: provenanceField,
    internalNote: internalNoteField,
    history: historyField(agencyTable),
  },
  LegalInstrument: {
    // The instrument belongs to legal-instruments: this service only adds its custodians.
    __resolveReference: (ref) => ({ code: ref.code }),
    custodians: (i, _, ctx) => ctx.loaders.custodianshipsByInstrument.load(i.code),
  },
  Custodianship: {
    agency: async (c, _, ctx) => existingRecord('UnAgency', c.agencyAcronym, await ctx.loaders.agency.load(c.agencyAcronym)),
    instrument: (c) => ({ code: c.instrumentCode }),
    provenance: provenanceField,
  },
  Programme: {
    __resolveReference: async (ref, ctx) => existingRecord('Programme', ref.id, await ctx.loaders.programme.load(ref.id)),
    agencies: (p, _, ctx) => ctx.loaders.agenciesByProgramme.load(p.id),
    organizations: (p, _, ctx) => ctx.loaders.organizationsByProgramme.load(p.id),
    countries: (p, _, ctx) => ctx.loaders.countriesByProgramme.load(p.id),
    supportsProcess: (p) => (p.supportsProcess ? { code: p.supportsProcess } : null),
    provenance: provenanceField,
    internalNote: internalNoteField,
    history: historyField(programmeTable),
  },
  ProgrammeAgency: {
    programme: async (x, _, ctx) => existingRecord('Programme', x.programmeId, await ctx.loaders.programme.load(x.programmeId)),
    agency: async (x, _, ctx) => existingRecord('UnAgency', x.agencyAcronym, await ctx.loaders.agency.load(x.agencyAcronym)),
    provenance: provenanceField,
    internalNote: internalNoteField,
    history: historyField(programmeAgencyTable),
  },
  ProgrammeOrganization: {
    name: (o) => o.organization,
    regionalOrganization: (o) => (o.regionalOrganization ? { code: o.regionalOrganization } : null),
    provenance: provenanceField,
  },
  ProgrammeCountry: {
    programme: async (x, _, ctx) => existingRecord('Programme', x.programmeId, await ctx.loaders.programme.load(x.programmeId)),
    country: (x) => countryReference(x.countryCode),
    provenance: provenanceField,
    internalNote: internalNoteField,
    history: historyField(programmeCountryTable),
  },
};
