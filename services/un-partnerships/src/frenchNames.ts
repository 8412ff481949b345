import path from 'node:path';
import { readCsv } from '../../../shared/src/io/csv';
import { PROJECT_ROOT } from '../../../shared/src/runtime/config';
import { acronymKey } from './entities/queries';

/** An agency's French name and acronym, as the cited pages write them (seed/README.md). */
export interface FrenchName {
  name: string;
  acronym: string;
}

function load(): Map<string, FrenchName> {
  const rows = readCsv(path.join(PROJECT_ROOT, 'services', 'un-partnerships', 'seed', 'un-agency-names-fr.csv'));
  return new Map(rows.map((r) => [r.acronym, { name: r.french_name, acronym: r.french_acronym }]));
}

/** By English acronym (the key of UnAgency). */
const FRENCH: ReadonlyMap<string, FrenchName> = load();

/** English acronym by the look-up key of the French one (OIT → ILO, ONU Femmes → UN Women). */
const BY_FRENCH_ACRONYM: ReadonlyMap<string, string> = new Map(
  [...FRENCH].map(([english, french]) => [acronymKey(french.acronym), english]),
);

export function frenchNameOf(acronym: string): FrenchName | null {
  return FRENCH.get(acronym) ?? null;
}

/** The English acronym of an agency given by its French acronym, or null when none has it. */
export function acronymOfFrench(french: string): string | null {
  return BY_FRENCH_ACRONYM.get(acronymKey(french)) ?? null;
}
