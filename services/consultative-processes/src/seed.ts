import path from 'node:path';
import type { DataSource } from 'typeorm';
import { blankToNull, readCsv } from '../../../shared/src/io/csv';
import { earliestDay } from '../../../shared/src/graphql/scalars';
import { type SeedResult, seedOnce, splitList } from '../../../shared/src/data/seed';
import { ConsultativeProcess, Meeting, OrganizationMembership, ProcessParticipation, RegionalOrganization } from './entities';
import { registered } from '../../../shared/src/runtime/registry';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';

const SCHEMA = registered('consultative-processes').schema;

const SEED_DIR = path.join(PROJECT_ROOT, 'services', 'consultative-processes', 'seed');
const file = (name: string) => path.join(SEED_DIR, name);
const FILES = [
  'regional-economic-communities.csv',
  'rec-memberships.csv',
  'consultative-processes.csv',
  'consultative-process-memberships.csv',
  'meetings.csv',
].map(file);

/** Loads the reference data of this domain once (see seed/README.md for origin and confidence). */
export async function seed(ds: DataSource): Promise<SeedResult> {
  return seedOnce(ds, SCHEMA, 'reference-data', FILES, async (m) => {
    const orgs = readCsv(file('regional-economic-communities.csv')).map((r) => ({
      code: r.code,
      name: r.name,
      frenchName: blankToNull(r.french_name),
      frenchAcronym: blankToNull(r.french_acronym),
      founded: blankToNull(r.founded),
      foundingInstrument: blankToNull(r.founding_instrument),
      headquarters: blankToNull(r.headquarters),
      notes: blankToNull(r.notes),
      source: blankToNull(r.source),
      confidence: r.confidence,
    }));
    await m.upsert(RegionalOrganization, orgs, ['code']);

    const memberships = readCsv(file('rec-memberships.csv')).map((r) => {
      const from = blankToNull(r.from);
      const to = blankToNull(r.to);
      return {
        organizationCode: r.rec,
        countryCode: r.iso3,
        membershipType: r.membership_type,
        fromDate: from,
        toDate: to,
        startsOn: from ? earliestDay(from) : null,
        endsOn: to ? earliestDay(to) : null,
        notes: blankToNull(r.notes),
        source: blankToNull(r.source),
        confidence: r.confidence,
      };
    });
    await m.upsert(OrganizationMembership, memberships, ['organizationCode', 'countryCode', 'membershipType', 'fromDate']);

    const processes = readCsv(file('consultative-processes.csv')).map((r) => ({
      code: r.code,
      name: r.name,
      aliases: splitList(r.aliases),
      scope: r.scope,
      leadOrganization: blankToNull(r.lead_organization),
      established: blankToNull(r.established),
      status: blankToNull(r.status),
      secretariat: blankToNull(r.secretariat),
      chair: blankToNull(r.chair),
      notes: blankToNull(r.notes),
      source: blankToNull(r.source),
      confidence: r.confidence,
    }));
    await m.upsert(ConsultativeProcess, processes, ['code']);

    // The participation key is an expression index, which ON CONFLICT cannot name: replace the set.
    await m.createQueryBuilder().delete().from(ProcessParticipation).execute();
    const participations = readCsv(file('consultative-process-memberships.csv')).map((r) => ({
      processCode: r.process,
      participantType: r.participant_type,
      countryCode: blankToNull(r.iso3),
      organization: blankToNull(r.organization),
      role: r.role,
      notes: blankToNull(r.notes),
      source: blankToNull(r.source),
      confidence: r.confidence,
    }));
    await m.createQueryBuilder().insert().into(ProcessParticipation).values(participations).execute();

    const meetings = readCsv(file('meetings.csv')).map((r) => ({
      id: r.id,
      processCode: r.process,
      title: r.title,
      kind: r.kind,
      startDate: blankToNull(r.start_date),
      endDate: blankToNull(r.end_date),
      city: blankToNull(r.city),
      countryCode: blankToNull(r.country_iso3),
      themes: splitList(r.themes),
      outcome: blankToNull(r.outcome),
      notes: blankToNull(r.notes),
      source: blankToNull(r.source),
      confidence: r.confidence,
    }));
    await m.upsert(Meeting, meetings, ['id']);

    return orgs.length + memberships.length + processes.length + participations.length + meetings.length;
  });
}
