import { listedCountries } from '../../../../shared/src/reference/countries';
import { badUserInput, existingRecord } from '../../../../shared/src/graphql/errors';
import { countryReference, provenanceField } from '../../../../shared/src/graphql/subgraph';
import { Language, storedEnum } from '../../../../shared/src/graphql/enums';
import { asOfArg, countryCodeArg, fold, intArg } from '../../../../shared/src/graphql/arguments';
import { notFoundSuggesting, type Suggestible } from '../../../../shared/src/graphql/suggestions';
import { parsePage, toConnection } from '../../../../shared/src/graphql/pagination';
import {
  auditEntryConnectionResolvers,
  auditEntryResolvers,
  historyField,
  internalNoteField,
} from '../../../../shared/src/editing/audit';
import { meetingTable, membershipTable, Mutation, participationTable, processTable } from './mutations';
import type { Context } from '../context';
import { ConsultativeProcess, type OrganizationMembership, RegionalOrganization } from '../entities';
import type { CountryFilter, Resolvers } from '../generated/resolvers';
import { MeetingTheme, MembershipType, ParticipantRole, ProcessScope, ProcessStatus } from './enums';
import {
  findMeetings,
  findOrganizationByCodeOrAcronym,
  findProcessByCodeOrAlias,
  memberCodesOn,
  participantCodes,
} from '../entities/queries';

/** The page of countries when `first: null` is passed: the schema's default. */
const COUNTRY_PAGE_SIZE = 50;

/** Active on a day: started on or before it (or start unknown) and not yet ended. */
function activeOn(m: OrganizationMembership, day: string): boolean {
  return (m.startsOn === null || m.startsOn <= day) && (m.endsOn === null || m.endsOn > day);
}

/**
 * How many items a nested list reads when a client passes `first: null`: one more than its declared
 * cap, so that a list past its cap still fails as one (LIST_BOUND_EXCEEDED) rather than being cut.
 */
const UNSIZED = { meetingsHosted: 31, members: 41, membershipHistory: 81, participants: 101, meetings: 101 };

/** A process's French name: the sources give one for MIDCAS only, as an alias ("Dialogue sur la migration ..."). */
function frenchProcessName(p: ConsultativeProcess): string | undefined {
  return p.aliases.find((a) => /^Dialogue sur /i.test(a));
}

async function requireProcess(ctx: Context, code: string): Promise<ConsultativeProcess> {
  const process = await findProcessByCodeOrAlias(ctx.ds, code.trim());
  if (!process)
    throw notFoundSuggesting(`No consultative process has the code or alias "${code}"`, code, await suggestibleProcesses(ctx));
  return process;
}

/** The processes, for suggestions: an alias (DIMAC) answers to its process. */
async function suggestibleProcesses(ctx: Context): Promise<Suggestible[]> {
  const processes = await ctx.ds.getRepository(ConsultativeProcess).find({ order: { code: 'ASC' } });
  return processes.map((p) => ({ code: p.code, name: p.name, alternateCodes: p.aliases }));
}

/** The regional organisations, for suggestions: a French acronym (CEDEAO) answers to its organisation. */
async function suggestibleOrganizations(ctx: Context): Promise<Suggestible[]> {
  const organizations = await ctx.ds.getRepository(RegionalOrganization).find({ order: { code: 'ASC' } });
  return organizations.map((o) => ({ code: o.code, name: o.name, alternateCodes: o.frenchAcronym ? [o.frenchAcronym] : [] }));
}

async function memberCodes(ctx: Context, memberOf: string, filter: CountryFilter): Promise<Set<string>> {
  const code = memberOf.trim();
  const org = await findOrganizationByCodeOrAcronym(ctx.ds, code);
  if (org) return new Set(await memberCodesOn(ctx.ds, org.code, asOfArg(filter.asOf), filter.includeAssociates ?? false));
  const process = await findProcessByCodeOrAlias(ctx.ds, code);
  if (process) return new Set(await participantCodes(ctx.ds, process.code));
  throw notFoundSuggesting(`No regional organisation or consultative process has the code "${code}"`, code, [
    ...(await suggestibleOrganizations(ctx)),
    ...(await suggestibleProcesses(ctx)),
  ]);
}

/** The service's fields, checked against its schema by the generated types. */
export const resolvers: Resolvers = {
  MembershipType,
  ProcessScope,
  ProcessStatus,
  ParticipantRole,
  MeetingTheme,
  Query: {
    country: (_, args) => ({ code: countryCodeArg(args.code) }),
    countries: async (_, args, ctx) => {
      const filter = args.filter ?? {};
      const page = parsePage(args, COUNTRY_PAGE_SIZE);
      // Codes named in `codes` are listed whatever they are; otherwise the ISO 3166-1 list, and the others only when asked.
      let list = listedCountries({ includeOtherCodes: filter.includeOtherCodes === true || filter.codes != null });
      if (filter.codes) {
        const wanted = new Set(filter.codes.map((c) => countryCodeArg(c, 'filter.codes')));
        list = list.filter((c) => wanted.has(c.code));
      }
      const same = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.trim().toLowerCase();
      const { region, subregion, intermediateRegion } = filter;
      if (region) list = list.filter((c) => same(c.region, region));
      if (subregion) list = list.filter((c) => same(c.subregion, subregion));
      if (intermediateRegion) list = list.filter((c) => same(c.intermediateRegion, intermediateRegion));
      if (filter.nameContains) {
        const needle = fold(filter.nameContains.trim());
        if (needle.length === 0 || needle.length > 100) {
          throw badUserInput('`nameContains` must have between 1 and 100 characters', [
            { field: 'filter.nameContains', message: 'length 1 to 100' },
          ]);
        }
        list = list.filter((c) => fold(c.name).includes(needle) || (c.nameFr !== null && fold(c.nameFr).includes(needle)));
      }
      if (filter.memberOf) {
        const members = await memberCodes(ctx, filter.memberOf, filter);
        list = list.filter((c) => members.has(c.code));
      }
      return toConnection(
        list.slice(page.offset, page.offset + page.limit).map((c) => ({ code: c.code })),
        list.length,
        page,
      );
    },
    consultativeProcess: (_, args, ctx) => requireProcess(ctx, args.code),
    consultativeProcesses: (_, __, ctx) => ctx.ds.getRepository(ConsultativeProcess).find({ order: { code: 'ASC' } }),
    regionalOrganization: async (_, args, ctx) => {
      const org = await findOrganizationByCodeOrAcronym(ctx.ds, args.code.trim());
      if (!org)
        throw notFoundSuggesting(
          `No regional organisation has the code or acronym "${args.code}"`,
          args.code,
          await suggestibleOrganizations(ctx),
        );
      return org;
    },
    regionalOrganizations: (_, __, ctx) => ctx.ds.getRepository(RegionalOrganization).find({ order: { code: 'ASC' } }),
    meetings: async (_, args, ctx) => {
      const filter = args.filter ?? {};
      const page = parsePage(args);
      const processCode = filter.process ? (await requireProcess(ctx, filter.process)).code : undefined;
      const [rows, total] = await findMeetings(ctx.ds, {
        processCode,
        theme: filter.theme ?? undefined,
        countryCode: filter.country ? countryCodeArg(filter.country, 'filter.country') : undefined,
        fromYear: filter.fromYear == null ? undefined : intArg(filter.fromYear, 'filter.fromYear', 1900, 2100),
        toYear: filter.toYear == null ? undefined : intArg(filter.toYear, 'filter.toYear', 1900, 2100),
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
    organizationMemberships: async (c, args, ctx) => {
      const day = asOfArg(args.asOf);
      return (await ctx.loaders.membershipsByCountry.load(c.code)).filter((m) => activeOn(m, day));
    },
    organizationMembershipHistory: (c, _, ctx) => ctx.loaders.membershipsByCountry.load(c.code),
    processParticipations: (c, _, ctx) => ctx.loaders.participationsByCountry.load(c.code),
    meetingsHosted: (c, args, ctx) =>
      ctx.loaders.firstMeetingsByCountry.load({ parent: c.code, args: null, first: args.first ?? UNSIZED.meetingsHosted }),
  },
  RegionalOrganization: {
    __resolveReference: async (ref, ctx) =>
      existingRecord('RegionalOrganization', ref.code, await ctx.loaders.organization.load(ref.code)),
    name: (o, args) => (args.lang === Language.FR ? (o.frenchName ?? o.name) : o.name),
    acronym: (o, args) => (args.lang === Language.FR ? (o.frenchAcronym ?? o.code) : o.code),
    nameLanguages: (o) => (o.frenchName !== null ? [Language.EN, Language.FR] : [Language.EN]),
    members: (o, args, ctx) =>
      ctx.loaders.firstMembershipsByOrganization.load({
        parent: o.code,
        args: { day: asOfArg(args.asOf), associates: args.includeAssociates === true },
        first: args.first ?? UNSIZED.members,
      }),
    membershipHistory: (o, args, ctx) =>
      ctx.loaders.firstMembershipsByOrganization.load({
        parent: o.code,
        args: null,
        first: args.first ?? UNSIZED.membershipHistory,
      }),
    leadsProcesses: (o, _, ctx) => ctx.loaders.processesByLeadOrganization.load(o.code),
    provenance: provenanceField,
  },
  OrganizationMembership: {
    organization: async (m, _, ctx) =>
      existingRecord('RegionalOrganization', m.organizationCode, await ctx.loaders.organization.load(m.organizationCode)),
    country: (m) => countryReference(m.countryCode),
    type: (m) => storedEnum(MembershipType, m.membershipType),
    from: (m) => m.fromDate,
    to: (m) => m.toDate,
    activeOn: (m, args) => activeOn(m, asOfArg(args.date)),
    provenance: provenanceField,
    internalNote: internalNoteField,
    history: historyField(membershipTable),
  },
  ConsultativeProcess: {
    __resolveReference: async (ref, ctx) =>
      existingRecord('ConsultativeProcess', ref.code, await ctx.loaders.process.load(ref.code)),
    name: (p, args) => (args.lang === Language.FR ? (frenchProcessName(p) ?? p.name) : p.name),
    nameLanguages: (p) => (frenchProcessName(p) !== undefined ? [Language.EN, Language.FR] : [Language.EN]),
    leadOrganization: (p, _, ctx) => (p.leadOrganization ? ctx.loaders.organization.load(p.leadOrganization) : null),
    leadOrganizationName: (p) => p.leadOrganization,
    participants: (p, args, ctx) =>
      ctx.loaders.firstParticipationsByProcess.load({
        parent: p.code,
        args: args.role ?? null,
        first: args.first ?? UNSIZED.participants,
      }),
    meetings: (p, args, ctx) =>
      ctx.loaders.firstMeetingsByProcess.load({ parent: p.code, args: null, first: args.first ?? UNSIZED.meetings }),
    provenance: provenanceField,
    internalNote: internalNoteField,
    history: historyField(processTable),
  },
  ProcessParticipation: {
    process: async (x, _, ctx) =>
      existingRecord('ConsultativeProcess', x.processCode, await ctx.loaders.process.load(x.processCode)),
    country: (x) => countryReference(x.countryCode),
    provenance: provenanceField,
    internalNote: internalNoteField,
    history: historyField(participationTable),
  },
  Meeting: {
    __resolveReference: async (ref, ctx) => existingRecord('Meeting', ref.id, await ctx.loaders.meeting.load(ref.id)),
    process: async (m, _, ctx) =>
      existingRecord('ConsultativeProcess', m.processCode, await ctx.loaders.process.load(m.processCode)),
    country: (m) => countryReference(m.countryCode),
    provenance: provenanceField,
    internalNote: internalNoteField,
    history: historyField(meetingTable),
  },
};
