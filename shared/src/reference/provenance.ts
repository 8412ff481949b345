import { Confidence, isStored } from '../graphql/enums';

export interface ProvenanceColumns {
  source: string | null;
  confidence: string;
  notes?: string | null;
}

export interface SourceRef {
  title: string;
  url: string | null;
}

export interface Provenance {
  confidence: Confidence;
  verified: boolean;
  sources: SourceRef[];
  /** False when a citation says its URL was not recorded: seen, but not yet re-findable. */
  sourceUrlRecorded: boolean;
  notes: string | null;
}

const URL_RE = /^https?:\/\/\S+$/i;

/** Splits a source cell ("url | url | description") into citations. */
export function parseSources(source: string | null): SourceRef[] {
  if (!source) return [];
  return source
    .split(' | ')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      if (URL_RE.test(part)) {
        const host = new URL(part).hostname.replace(/^www\./, '');
        return { title: host, url: part };
      }
      return { title: part, url: null };
    });
}

/**
 * Whether a fact may be presented as fact: its confidence is not `unverified`, and its own notes do
 * not call a part of it (a date, a value) unverified. A row's confidence is its weakest field, but a
 * few rows keep a stronger confidence while their notes flag one field: the notes win.
 */
export function isVerified(row: ProvenanceColumns): boolean {
  return row.confidence !== Confidence.UNVERIFIED && !/\bunverified\b/i.test(row.notes ?? '');
}

export function toProvenance(row: ProvenanceColumns): Provenance {
  const { confidence } = row;
  if (!isConfidence(confidence)) throw new Error(`Unknown confidence "${confidence}"`);
  return {
    confidence,
    verified: isVerified(row),
    sources: parseSources(row.source),
    sourceUrlRecorded: !/URL not recorded/i.test(row.source ?? ''),
    notes: row.notes ?? null,
  };
}

export function isConfidence(value: string): value is Confidence {
  return isStored(Confidence, value);
}
