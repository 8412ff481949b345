import { badUserInput, existingRecord } from '../../../../shared/src/graphql/errors';
import { countryReference, countryReferences, provenanceField } from '../../../../shared/src/graphql/subgraph';
import { Language } from '../../../../shared/src/graphql/enums';
import { asOfArg, countryCodeArg, intArg } from '../../../../shared/src/graphql/arguments';
import { notFoundSuggesting } from '../../../../shared/src/graphql/suggestions';
import { INSTRUMENT_CODE, isValid, normalise, spelled } from '../../../../shared/src/reference/identifiers';
import { parsePage, toConnection } from '../../../../shared/src/graphql/pagination';
import type { Context } from '../context';
import { LegalInstrument, type TreatyAction, TreatyCoverage } from '../entities';
import { findInstruments, findMigrationPolicies, findPublications, findTrainings, findTreatyActions } from '../entities/queries';
import { type InstrumentFrame, statusesOf, treatyStatus } from './treatyStatus';
import type { Resolvers } from '../generated/resolvers';
import {
  InstrumentKind,
  InstrumentScope,
  InstrumentStatus,
  MigrationPolicyKind,
  MigrationPolicyStatus,
  PublicationKind,
  TreatyActionType,
} from './enums';
import {
  auditEntryConnectionResolvers,
  auditEntryResolvers,
  historyField,
  internalNoteField,
} from '../../../../shared/src/editing/audit';
import { instrumentTable, Mutation, publicationTable, trainingTable, treatyActionTable } from './mutations';

/** Instrument codes are upper-case letters, digits and hyphens (ICRMW, AU-KAMPALA, ILO-C097). */
function instrumentCodeArg(code: string, field = 'instrument'): string {
  const upper = normalise(INSTRUMENT_CODE, code);
  if (!isValid(INSTRUMENT_CODE, upper)) {
    throw badUserInput(`"${code}" is not an instrument code`, [{ field, message: spelled(INSTRUMENT_CODE, 'AU-KAMPALA') }]);
  }
  return upper;
}

async function requireInstrument(ctx: Context, code: string, field = 'instrument'): Promise<LegalInstrument> {
  const normalized = instrumentCodeArg(code, field);
  const instrument = await ctx.loaders.instrument.load(normalized);
  if (!instrument) {
    const instruments = await ctx.ds.getRepository(LegalInstrument).find({ order: { code: 'ASC' } });
    throw notFoundSuggesting(
      `No instrument has the code "${normalized}"`,
      normalized,
      instruments.map((i) => ({ code: i.code, name: i.shortTitle ?? i.title })),
    );
  }
  return instrument;
}

/** What bounds a status besides the country's actions: the instrument's adoption and its participant list. */
async function frameOf(ctx: Context, instrument: LegalInstrument): Promise<InstrumentFrame> {
  return {
    code: instrument.code,
    adoptedDate: instrument.adoptedDate,
    coverage: await ctx.loaders.coverage.load(instrument.code),
  };
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

/**
 * How many items a nested list reads when a client passes `first: null`: one more than its declared
 * cap, so that a list past its cap still fails as one (LIST_BOUND_EXCEEDED) rather than being cut.
 */
const UNSIZED = { instrumentActions: 121, countryActions: 61 };

/** The service's fields, checked against its schema by the generated types. */
export const resolvers: Resolvers = {
  InstrumentKind,
  InstrumentScope,
  InstrumentStatus,
  TreatyActionType,
  PublicationKind,
  MigrationPolicyKind,
  MigrationPolicyStatus,
  Query: {
    instrument: (_, args, ctx) => requireInstrument(ctx, args.code, 'code'),
    instruments: async (_, args, ctx) => {
      const filter = args.filter ?? {};
      const page = parsePage(args);
      const [rows, total] = await findInstruments(ctx.ds, {
        kind: filter.kind ?? undefined,
        scope: filter.scope ?? undefined,
        status: filter.status ?? undefined,
        theme: filter.theme == null ? undefined : textArg(filter.theme, 'filter.theme'),
        titleContains: filter.titleContains == null ? undefined : textArg(filter.titleContains, 'filter.titleContains'),
        limit: page.limit,
        offset: page.offset,
      });
      return toConnection(rows, total, page);
    },
    treatyActions: async (_, args, ctx) => {
      const filter = args.filter ?? {};
      const page = parsePage(args);
      const fromYear = yearArg(filter.fromYear, 'filter.fromYear');
      const toYear = yearArg(filter.toYear, 'filter.toYear');
      const countryCode = filter.country ? countryCodeArg(filter.country, 'filter.country') : undefined;
      const instrumentCode = filter.instrument
        ? (await requireInstrument(ctx, filter.instrument, 'filter.instrument')).code
        : undefined;
      const [rows, total] = await findTreatyActions(ctx.ds, {
        instrumentCode,
        countryCode,
        action: filter.action ?? undefined,
        fromYear,
        toYear,
        limit: page.limit,
        offset: page.offset,
      });
      return toConnection(rows, total, page);
    },
    trainings: async (_, args, ctx) => {
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
    migrationPolicies: async (_, args, ctx) => {
      const countryCode = args.country ? countryCodeArg(args.country, 'country') : undefined;
      const page = parsePage(args);
      const [rows, total] = await findMigrationPolicies(ctx.ds, {
        countryCode,
        kind: args.kind ?? undefined,
        status: args.status ?? undefined,
        limit: page.limit,
        offset: page.offset,
      });
      return toConnection(rows, total, page);
    },
    treatyCoverage: (_, __, ctx) => ctx.ds.getRepository(TreatyCoverage).find({ order: { instrumentCode: 'ASC' } }),
    publications: async (_, args, ctx) => {
      const page = parsePage(args);
      const [rows, total] = await findPublications(ctx.ds, page);
      return toConnection(rows, total, page);
    },
  },
  Mutation,
  AuditEntry: auditEntryResolvers,
  AuditEntryConnection: auditEntryConnectionResolvers,
  Country: {
    treatyActions: async (c, args, ctx) => {
      const code = args.instrument ? (await requireInstrument(ctx, args.instrument)).code : null;
      return ctx.loaders.firstActionsByCountry.load({ parent: c.code, args: code, first: args.first ?? UNSIZED.countryActions });
    },
    treatyStatus: async (c, args, ctx) => {
      const day = asOfArg(args.asOf);
      const [instrument, actions] = await Promise.all([
        requireInstrument(ctx, args.instrument),
        ctx.loaders.actionsByCountry.load(c.code),
      ]);
      return treatyStatus(
        await frameOf(ctx, instrument),
        c.code,
        actions.filter((a) => a.instrumentCode === instrument.code),
        day,
      );
    },
    treatyStatuses: async (c, args, ctx) => {
      const day = asOfArg(args.asOf);
      const actions = await ctx.loaders.actionsByCountry.load(c.code);
      const codes = [...new Set(actions.map((a) => a.instrumentCode))];
      const [instruments, coverages] = await Promise.all([
        ctx.loaders.instrument.loadMany(codes),
        ctx.loaders.coverage.loadMany(codes),
      ]);
      const frames = new Map<string, InstrumentFrame>();
      instruments.forEach((instrument, n) => {
        if (instrument instanceof Error) throw instrument;
        const coverage = coverages[n];
        if (coverage instanceof Error) throw coverage;
        if (instrument) frames.set(instrument.code, { code: instrument.code, adoptedDate: instrument.adoptedDate, coverage });
      });
      return statusesOf(frames, c.code, actions, day);
    },
    trainings: (c, _, ctx) => ctx.loaders.trainingsByCountry.load(c.code),
    migrationPolicies: (c, _, ctx) => ctx.loaders.policiesByCountry.load(c.code),
  },
  MigrationPolicy: {
    __resolveReference: async (ref, ctx) => existingRecord('MigrationPolicy', ref.id, await ctx.loaders.policy.load(ref.id)),
    country: (p) => countryReference(p.countryCode),
    unAgencies: (p) => p.unAgencies.map((acronym) => ({ acronym })),
    migrationProfile: (p) => (p.migrationProfileId === null ? null : { id: p.migrationProfileId }),
    provenance: provenanceField,
  },
  LegalInstrument: {
    __resolveReference: async (ref, ctx) =>
      existingRecord('LegalInstrument', ref.code, await ctx.loaders.instrument.load(ref.code)),
    entryIntoForce: (i) => i.entryIntoForceDate,
    title: (i, args) => (args.lang === Language.FR ? (i.titleFr ?? i.title) : i.title),
    shortTitle: (i, args) => (args.lang === Language.FR && i.titleFr !== null ? (i.shortTitleFr ?? i.shortTitle) : i.shortTitle),
    titleLanguages: (i) => (i.titleFr !== null ? [Language.EN, Language.FR] : [Language.EN]),
    treatyActions: async (i, args, ctx) => {
      const country = args.country ? countryCodeArg(args.country, 'country') : null;
      return ctx.loaders.firstActionsByInstrument.load({
        parent: i.code,
        args: country,
        first: args.first ?? UNSIZED.instrumentActions,
      });
    },
    coverage: (i, _, ctx) => ctx.loaders.coverage.load(i.code),
    parties: async (i, args, ctx) => {
      const day = asOfArg(args.asOf);
      const frame = await frameOf(ctx, i);
      const byCountry = new Map<string, TreatyAction[]>();
      for (const a of await ctx.loaders.actionsByInstrument.load(i.code)) {
        byCountry.set(a.countryCode, [...(byCountry.get(a.countryCode) ?? []), a]);
      }
      return [...byCountry.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([country, own]) => treatyStatus(frame, country, own, day))
        .filter((s) => s.status === 'PARTY' || (args.includeSignatories && s.status === 'SIGNATORY'));
    },
    provenance: provenanceField,
    internalNote: internalNoteField,
    history: historyField(instrumentTable),
  },
  TreatyAction: {
    instrument: async (a, _, ctx) =>
      existingRecord('LegalInstrument', a.instrumentCode, await ctx.loaders.instrument.load(a.instrumentCode)),
    country: (a) => countryReference(a.countryCode),
    provenance: provenanceField,
    internalNote: internalNoteField,
    history: historyField(treatyActionTable),
  },
  TreatyStatus: {
    instrument: async (s, _, ctx) =>
      existingRecord('LegalInstrument', s.instrumentCode, await ctx.loaders.instrument.load(s.instrumentCode)),
    country: (s) => countryReference(s.countryCode),
    coverage: (s, _, ctx) => ctx.loaders.coverage.load(s.instrumentCode),
  },
  TreatyCoverage: {
    instrument: async (c, _, ctx) =>
      existingRecord('LegalInstrument', c.instrumentCode, await ctx.loaders.instrument.load(c.instrumentCode)),
    statesListed: (c) => countryReferences(c.statesListed),
    statesAbsent: (c) => countryReferences(c.statesAbsent),
  },
  Training: {
    __resolveReference: async (ref, ctx) => existingRecord('Training', ref.id, await ctx.loaders.training.load(ref.id)),
    country: (t) => countryReference(t.countryCode),
    location: (t) => countryReference(t.locationCode),
    provenance: provenanceField,
    internalNote: internalNoteField,
    history: historyField(trainingTable),
  },
  Publication: {
    __resolveReference: async (ref, ctx) => existingRecord('Publication', ref.id, await ctx.loaders.publication.load(ref.id)),
    countries: (p) => countryReferences(p.countries),
    provenance: provenanceField,
    internalNote: internalNoteField,
    history: historyField(publicationTable),
  },
};
