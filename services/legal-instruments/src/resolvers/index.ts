import { badUserInput, existingRecord, notFound } from '../../../../shared/src/errors';
import { countryReference, countryReferences, provenanceField, type ResolverMap } from '../../../../shared/src/subgraph';
import { asOfArg, countryCodeArg, intArg } from '../../../../shared/src/validate';
import { type PageArgs, parsePage, toConnection } from '../../../../shared/src/connection';
import type { Context } from '../context';
import type { LegalInstrument, Publication, Training, TreatyAction } from '../entities';
import { findInstruments, findTrainings, findTreatyActions } from '../entities/queries';
import { statusesOf, treatyStatus, type TreatyStatusResult } from './treatyStatus';
import { auditEntryResolvers, historyField, restrictedField } from '../../../../shared/src/mutations';
import { instrumentTable, Mutation, publicationTable, trainingTable, treatyActionTable } from './mutations';

type CountryParent = { code: string };

interface InstrumentFilter {
  kind?: string | null;
  scope?: string | null;
  theme?: string | null;
  status?: string | null;
  titleContains?: string | null;
}

interface TreatyActionFilter {
  instrument?: string | null;
  country?: string | null;
  action?: string | null;
  fromYear?: number | null;
  toYear?: number | null;
}

interface TrainingFilter {
  country?: string | null;
  benefitingMemberState?: boolean | null;
}

/** GraphQL enum value <-> stored value, where lower-casing is not enough. */
const KIND_TO_ENUM: Record<string, string> = {
  convention: 'CONVENTION',
  protocol: 'PROTOCOL',
  'regional protocol': 'REGIONAL_PROTOCOL',
  'ILO convention': 'ILO_CONVENTION',
};
const KIND_FROM_ENUM = Object.fromEntries(Object.entries(KIND_TO_ENUM).map(([db, gql]) => [gql, db]));

/** Instrument codes are upper-case letters, digits and hyphens (ICRMW, AU-KAMPALA, ILO-C097). */
function instrumentCodeArg(code: string, field = 'instrument'): string {
  const upper = code.trim().toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9-]{1,29}$/.test(upper)) {
    throw badUserInput(`"${code}" is not an instrument code`, [{ field, message: 'letters, digits and hyphens, such as AU-KAMPALA' }]);
  }
  return upper;
}

async function requireInstrument(ctx: Context, code: string, field = 'instrument'): Promise<LegalInstrument> {
  const normalized = instrumentCodeArg(code, field);
  const instrument = await ctx.loaders.instrument.load(normalized);
  if (!instrument) throw notFound(`No instrument has the code "${normalized}"`);
  return instrument;
}

function textArg(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > 100) {
    throw badUserInput(`\`${field}\` must have between 1 and 100 characters`, [{ field, message: 'length 1 to 100' }]);
  }
  return trimmed;
}

function yearArg(value: number | null | undefined, field: string): number | undefined {
  return value == null ? undefined : intArg(value, field, 1900, 2100);
}

export const resolvers: ResolverMap = {
  Mutation,
  AuditEntry: auditEntryResolvers,
  Query: {
    instrument: (_: unknown, args: { code: string }, ctx: Context) => requireInstrument(ctx, args.code, 'code'),
    instruments: async (_: unknown, args: { filter?: InstrumentFilter | null } & PageArgs, ctx: Context) => {
      const filter = args.filter ?? {};
      const page = parsePage(args);
      const [rows, total] = await findInstruments(ctx.ds, {
        kind: filter.kind ? KIND_FROM_ENUM[filter.kind] : undefined,
        scope: filter.scope ? filter.scope.toLowerCase() : undefined,
        status: filter.status ? filter.status.toLowerCase() : undefined,
        theme: filter.theme == null ? undefined : textArg(filter.theme, 'filter.theme'),
        titleContains: filter.titleContains == null ? undefined : textArg(filter.titleContains, 'filter.titleContains'),
        limit: page.limit,
        offset: page.offset,
      });
      return toConnection(rows, total, page);
    },
    treatyActions: async (_: unknown, args: { filter?: TreatyActionFilter | null } & PageArgs, ctx: Context) => {
      const filter = args.filter ?? {};
      const page = parsePage(args);
      const fromYear = yearArg(filter.fromYear, 'filter.fromYear');
      const toYear = yearArg(filter.toYear, 'filter.toYear');
      const countryCode = filter.country ? countryCodeArg(filter.country, 'filter.country') : undefined;
      const instrumentCode = filter.instrument ? (await requireInstrument(ctx, filter.instrument, 'filter.instrument')).code : undefined;
      const [rows, total] = await findTreatyActions(ctx.ds, {
        instrumentCode,
        countryCode,
        action: filter.action ? filter.action.toLowerCase() : undefined,
        fromYear,
        toYear,
        limit: page.limit,
        offset: page.offset,
      });
      return toConnection(rows, total, page);
    },
    trainings: async (_: unknown, args: { filter?: TrainingFilter | null } & PageArgs, ctx: Context) => {
      const filter = args.filter ?? {};
      const page = parsePage(args);
      const [rows, total] = await findTrainings(ctx.ds, {
        countryCode: filter.country ? countryCodeArg(filter.country, 'filter.country') : undefined,
        benefitingMemberState: filter.benefitingMemberState ?? undefined,
        limit: page.limit,
        offset: page.offset,
      });
      return toConnection(rows, total, page);
    },
    publications: (_: unknown, __: unknown, ctx: Context) => ctx.ds.getRepository('Publication').find({ order: { id: 'ASC' } }),
  },
  Country: {
    treatyActions: async (c: CountryParent, args: { instrument?: string | null }, ctx: Context) => {
      const code = args.instrument ? (await requireInstrument(ctx, args.instrument)).code : null;
      const actions = await ctx.loaders.actionsByCountry.load(c.code);
      return code ? actions.filter((a) => a.instrumentCode === code) : actions;
    },
    treatyStatus: async (c: CountryParent, args: { instrument: string; asOf?: string | null }, ctx: Context) => {
      const day = asOfArg(args.asOf);
      const [instrument, actions] = await Promise.all([
        requireInstrument(ctx, args.instrument),
        ctx.loaders.actionsByCountry.load(c.code),
      ]);
      return treatyStatus(instrument.code, c.code, actions.filter((a) => a.instrumentCode === instrument.code), day);
    },
    treatyStatuses: async (c: CountryParent, args: { asOf?: string | null }, ctx: Context) =>
      statusesOf(c.code, await ctx.loaders.actionsByCountry.load(c.code), asOfArg(args.asOf)),
    trainings: (c: CountryParent, _: unknown, ctx: Context) => ctx.loaders.trainingsByCountry.load(c.code),
  },
  LegalInstrument: {
    __resolveReference: async (ref: { code: string }, ctx: Context) => existingRecord('LegalInstrument', ref.code, await ctx.loaders.instrument.load(ref.code)),
    kind: (i: LegalInstrument) => KIND_TO_ENUM[i.kind],
    scope: (i: LegalInstrument) => i.scope.toUpperCase(),
    status: (i: LegalInstrument) => i.status.toUpperCase(),
    entryIntoForce: (i: LegalInstrument) => i.entryIntoForceDate,
    title: (i: LegalInstrument, args: { lang?: string | null }) => (args.lang === 'FR' ? (i.titleFr ?? i.title) : i.title),
    shortTitle: (i: LegalInstrument, args: { lang?: string | null }) =>
      args.lang === 'FR' && i.titleFr !== null ? (i.shortTitleFr ?? i.shortTitle) : i.shortTitle,
    titleLanguages: (i: LegalInstrument) => (i.titleFr !== null ? ['EN', 'FR'] : ['EN']),
    treatyActions: async (i: LegalInstrument, args: { country?: string | null }, ctx: Context) => {
      const country = args.country ? countryCodeArg(args.country, 'country') : null;
      const actions = await ctx.loaders.actionsByInstrument.load(i.code);
      return country ? actions.filter((a) => a.countryCode === country) : actions;
    },
    parties: async (i: LegalInstrument, args: { asOf?: string | null; includeSignatories: boolean }, ctx: Context) => {
      const day = asOfArg(args.asOf);
      const byCountry = new Map<string, TreatyAction[]>();
      for (const a of await ctx.loaders.actionsByInstrument.load(i.code)) {
        byCountry.set(a.countryCode, [...(byCountry.get(a.countryCode) ?? []), a]);
      }
      return [...byCountry.keys()]
        .sort()
        .map((country) => treatyStatus(i.code, country, byCountry.get(country)!, day))
        .filter((s) => s.status === 'PARTY' || (args.includeSignatories && s.status === 'SIGNATORY'));
    },
    provenance: provenanceField,
    internalNote: restrictedField<LegalInstrument>('internalNote'),
    history: historyField(instrumentTable),
  },
  TreatyAction: {
    instrument: (a: TreatyAction, _: unknown, ctx: Context) => ctx.loaders.instrument.load(a.instrumentCode),
    country: (a: TreatyAction) => countryReference(a.countryCode),
    action: (a: TreatyAction) => a.action.toUpperCase(),
    provenance: provenanceField,
    internalNote: restrictedField<TreatyAction>('internalNote'),
    history: historyField(treatyActionTable),
  },
  TreatyStatus: {
    instrument: (s: TreatyStatusResult, _: unknown, ctx: Context) => ctx.loaders.instrument.load(s.instrumentCode),
    country: (s: TreatyStatusResult) => countryReference(s.countryCode),
  },
  Training: {
    __resolveReference: async (ref: { id: string }, ctx: Context) => existingRecord('Training', ref.id, await ctx.loaders.training.load(ref.id)),
    country: (t: Training) => countryReference(t.countryCode),
    location: (t: Training) => countryReference(t.locationCode),
    provenance: provenanceField,
    internalNote: restrictedField<Training>('internalNote'),
    history: historyField(trainingTable),
  },
  Publication: {
    __resolveReference: async (ref: { id: string }, ctx: Context) => existingRecord('Publication', ref.id, await ctx.loaders.publication.load(ref.id)),
    kind: (p: Publication) => p.kind.toUpperCase(),
    language: (p: Publication) => (p.language ? p.language.toUpperCase() : null),
    countries: (p: Publication) => countryReferences(p.countries),
    provenance: provenanceField,
    internalNote: restrictedField<Publication>('internalNote'),
    history: historyField(publicationTable),
  },
};
