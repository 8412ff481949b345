import { Column, DeleteDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One value of a catalogue indicator for a country and year. Read through the series queries of
 * analytics.ts; this entity serves the writes of editors.
 */
@Entity({ name: 'indicator_value' })
export class IndicatorValue {
  @PrimaryColumn({ type: 'text', name: 'indicator_code' }) indicatorCode: string;
  @PrimaryColumn({ type: 'char', length: 3, name: 'country_code' }) countryCode: string;
  @PrimaryColumn({ type: 'smallint' }) year: number;
  @Column({ type: 'double precision' }) value: number;
  @Column({ type: 'text' }) unit: string;
  /** Null (with confidence) when the value's provenance is its indicator's, as for the reference data. */
  @Column({ type: 'text', nullable: true }) source: string | null;
  @Column({ type: 'text', nullable: true }) confidence: string | null;
  /** 1 when first stored, one more at every change; writes are conditional on it. */
  @Column({ type: 'integer' }) version: number;
  /** Soft delete: set when deleted; reads leave such rows out. */
  @DeleteDateColumn({ type: 'timestamptz', name: 'deleted_at' }) deletedAt: Date | null;
  /** Editors' working note, not public. */
  @Column({ type: 'text', name: 'internal_note', nullable: true }) internalNote: string | null;
}
