import { COUNTRIES } from '../../../../shared/src/countries';
import { badUserInput, existingRecord, notFound } from '../../../../shared/src/errors';
import { countryReference, provenanceField, type ResolverMap } from '../../../../shared/src/subgraph';
import { asOfArg, countryCodeArg, fold, intArg } from '../../../../shared/src/validate';
import { type PageArgs, parsePage, toConnection } from '../../../../shared/src/connection';
import { auditEntryResolvers, historyField, restrictedField } from '../../../../shared/src/mutations';
import { meetingTable, membershipTable, Mutation, participationTable, processTable } from './mutations';
import type { Context } from '../context';
import type { ConsultativeProcess, Meeting, OrganizationMembership, ProcessParticipation, RegionalOrganization } from '../entities';
import {
  findMeetings,
  findOrganizationByCodeOrAcronym,
  findProcessByCodeOrAlias,
  memberCodesOn,
  participantCodes,
} from '../entities/queries';

type Lang = 'EN' | 'FR';
type CountryParent = { code: string };

interface CountryFilter {
  codes?: string[] | null;
  region?: string | null;
  subregion?: string | null;
  intermediateRegion?: string | null;
  memberOf?: string | null;
  asOf?: string | null;
  includeAssociates?: boolean | null;
  nameContains?: string | null;
}

interface MeetingFilter {
  process?: string | null;
  theme?: string | null;
  country?: string | null;
  fromYear?: number | null;
  toYear?: number | null;
}

const COUNTRY_PAGE_MAX = 300;

/** Active on a day: started on or before it (or start unknown) and not yet ended. */
function activeOn(m: OrganizationMembership, day: string): boolean {
  return (m.startsOn === null || m.startsOn <= day) && (m.endsOn === null || m.endsOn > day);
}

async function requireProcess(ctx: Context, code: string): Promise<ConsultativeProcess> {
  const process = await findProcessByCodeOrAlias(ctx.ds, code.trim());
  if (!process) throw notFound(`No consultative process has the code or alias "${code}"`);
  return process;
}

async function memberCodes(ctx: Context, filter: CountryFilter): Promise<Set<string>> {
  const code = filter.memberOf!.trim();
  const org = await findOrganizationByCodeOrAcronym(ctx.ds, code);
  if (org) return new Set(await memberCodesOn(ctx.ds, org.code, asOfArg(filter.asOf), filter.includeAssociates ?? false));
  const process = await findProcessByCodeOrAlias(ctx.ds, code);
  if (process) return new Set(await participantCodes(ctx.ds, process.code));
  throw notFound(`No regional organisation or consultative process has the code "${code}"`);
}

export const resolvers: ResolverMap = {
  Mutation,
  AuditEntry: auditEntryResolvers,
  Query: {
    country: (_: unknown, args: { code: string }) => ({ code: countryCodeArg(args.code) }),
    countries: async (_: unknown, args: { filter?: CountryFilter | null } & PageArgs, ctx: Context) => {
      const filter = args.filter ?? {};
      const page = parsePage(args, COUNTRY_PAGE_MAX);
      let list = [...COUNTRIES.values()];
      if (filter.codes) {
        const wanted = new Set(filter.codes.map((c) => countryCodeArg(c, 'filter.codes')));
        list = list.filter((c) => wanted.has(c.code));
      }
      const same = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.trim().toLowerCase();
      if (filter.region) list = list.filter((c) => same(c.region, filter.region!));
      if (filter.subregion) list = list.filter((c) => same(c.subregion, filter.subregion!));
      if (filter.intermediateRegion) list = list.filter((c) => same(c.intermediateRegion, filter.intermediateRegion!));
      if (filter.nameContains) {
        const needle = fold(filter.nameContains.trim());
        if (needle.length === 0 || needle.length > 100) {
          throw badUserInput('`nameContains` must have between 1 and 100 characters', [{ field: 'filter.nameContains', message: 'length 1 to 100' }]);
        }
        list = list.filter((c) => fold(c.name).includes(needle) || (c.nameFr !== null && fold(c.nameFr).includes(needle)));
      }
      if (filter.memberOf) {
        const members = await memberCodes(ctx, filter);
        list = list.filter((c) => members.has(c.code));
      }
      list.sort((a, b) => a.code.localeCompare(b.code));
      return toConnection(list.slice(page.offset, page.offset + page.limit).map((c) => ({ code: c.code })), list.length, page);
    },
    consultativeProcess: (_: unknown, args: { code: string }, ctx: Context) => requireProcess(ctx, args.code),
    consultativeProcesses: (_: unknown, __: unknown, ctx: Context) =>
      ctx.ds.getRepository('ConsultativeProcess').find({ order: { code: 'ASC' } }),
    regionalOrganization: async (_: unknown, args: { code: string }, ctx: Context) => {
      const org = await findOrganizationByCodeOrAcronym(ctx.ds, args.code.trim());
      if (!org) throw notFound(`No regional organisation has the code or acronym "${args.code}"`);
      return org;
    },
    regionalOrganizations: (_: unknown, __: unknown, ctx: Context) =>
      ctx.ds.getRepository('RegionalOrganization').find({ order: { code: 'ASC' } }),
    meetings: async (_: unknown, args: { filter?: MeetingFilter | null } & PageArgs, ctx: Context) => {
      const filter = args.filter ?? {};
      const page = parsePage(args);
      const processCode = filter.process ? (await requireProcess(ctx, filter.process)).code : undefined;
      const [rows, total] = await findMeetings(ctx.ds, {
        processCode,
        theme: filter.theme ? filter.theme.toLowerCase() : undefined,
        countryCode: filter.country ? countryCodeArg(filter.country, 'filter.country') : undefined,
        fromYear: filter.fromYear == null ? undefined : intArg(filter.fromYear, 'filter.fromYear', 1900, 2100),
        toYear: filter.toYear == null ? undefined : intArg(filter.toYear, 'filter.toYear', 1900, 2100),
        limit: page.limit,
        offset: page.offset,
      });
      return toConnection(rows, total, page);
    },
  },
  Country: {
    organizationMemberships: async (c: CountryParent, args: { asOf?: string | null }, ctx: Context) => {
      const day = asOfArg(args.asOf);
      return (await ctx.loaders.membershipsByCountry.load(c.code)).filter((m) => activeOn(m, day));
    },
    organizationMembershipHistory: (c: CountryParent, _: unknown, ctx: Context) => ctx.loaders.membershipsByCountry.load(c.code),
    processParticipations: (c: CountryParent, _: unknown, ctx: Context) => ctx.loaders.participationsByCountry.load(c.code),
    meetingsHosted: (c: CountryParent, _: unknown, ctx: Context) => ctx.loaders.meetingsByCountry.load(c.code),
  },
  RegionalOrganization: {
    __resolveReference: async (ref: { code: string }, ctx: Context) =>
      existingRecord('RegionalOrganization', ref.code, await ctx.loaders.organization.load(ref.code)),
    name: (o: RegionalOrganization, args: { lang: Lang }) => (args.lang === 'FR' ? (o.frenchName ?? o.name) : o.name),
    acronym: (o: RegionalOrganization, args: { lang: Lang }) => (args.lang === 'FR' ? (o.frenchAcronym ?? o.code) : o.code),
    members: async (o: RegionalOrganization, args: { asOf?: string | null; includeAssociates: boolean }, ctx: Context) => {
      const day = asOfArg(args.asOf);
      return (await ctx.loaders.membershipsByOrganization.load(o.code)).filter(
        (m) => activeOn(m, day) && (args.includeAssociates || m.membershipType === 'member'),
      );
    },
    membershipHistory: (o: RegionalOrganization, _: unknown, ctx: Context) => ctx.loaders.membershipsByOrganization.load(o.code),
    leadsProcesses: (o: RegionalOrganization, _: unknown, ctx: Context) => ctx.loaders.processesByLeadOrganization.load(o.code),
    provenance: provenanceField,
  },
  OrganizationMembership: {
    organization: (m: OrganizationMembership, _: unknown, ctx: Context) => ctx.loaders.organization.load(m.organizationCode),
    country: (m: OrganizationMembership) => countryReference(m.countryCode),
    type: (m: OrganizationMembership) => m.membershipType.toUpperCase(),
    from: (m: OrganizationMembership) => m.fromDate,
    to: (m: OrganizationMembership) => m.toDate,
    activeOn: (m: OrganizationMembership, args: { date?: string | null }) => activeOn(m, asOfArg(args.date)),
    provenance: provenanceField,
    internalNote: restrictedField<OrganizationMembership>('internalNote'),
    history: historyField(membershipTable),
  },
  ConsultativeProcess: {
    __resolveReference: async (ref: { code: string }, ctx: Context) => existingRecord('ConsultativeProcess', ref.code, await ctx.loaders.process.load(ref.code)),
    name: (p: ConsultativeProcess, args: { lang: Lang }) => {
      if (args.lang !== 'FR') return p.name;
      // The only French name the sources give is an alias of MIDCAS ("Dialogue sur la migration ...").
      return p.aliases.find((a) => /^Dialogue sur /i.test(a)) ?? p.name;
    },
    scope: (p: ConsultativeProcess) => p.scope.toUpperCase(),
    status: (p: ConsultativeProcess) => (p.status ? p.status.toUpperCase() : null),
    leadOrganization: (p: ConsultativeProcess, _: unknown, ctx: Context) =>
      p.leadOrganization ? ctx.loaders.organization.load(p.leadOrganization) : null,
    leadOrganizationName: (p: ConsultativeProcess) => p.leadOrganization,
    participants: async (p: ConsultativeProcess, args: { role?: string | null }, ctx: Context) => {
      const all = await ctx.loaders.participationsByProcess.load(p.code);
      return args.role ? all.filter((x) => x.role === args.role!.toLowerCase()) : all;
    },
    meetings: (p: ConsultativeProcess, _: unknown, ctx: Context) => ctx.loaders.meetingsByProcess.load(p.code),
    provenance: provenanceField,
    internalNote: restrictedField<ConsultativeProcess>('internalNote'),
    history: historyField(processTable),
  },
  ProcessParticipation: {
    process: (x: ProcessParticipation, _: unknown, ctx: Context) => ctx.loaders.process.load(x.processCode),
    country: (x: ProcessParticipation) => countryReference(x.countryCode),
    role: (x: ProcessParticipation) => x.role.toUpperCase(),
    provenance: provenanceField,
    internalNote: restrictedField<ProcessParticipation>('internalNote'),
    history: historyField(participationTable),
  },
  Meeting: {
    __resolveReference: async (ref: { id: string }, ctx: Context) => existingRecord('Meeting', ref.id, await ctx.loaders.meeting.load(ref.id)),
    process: (m: Meeting, _: unknown, ctx: Context) => ctx.loaders.process.load(m.processCode),
    country: (m: Meeting) => countryReference(m.countryCode),
    themes: (m: Meeting) => m.themes.map((t) => t.toUpperCase()),
    provenance: provenanceField,
    internalNote: restrictedField<Meeting>('internalNote'),
    history: historyField(meetingTable),
  },
};
