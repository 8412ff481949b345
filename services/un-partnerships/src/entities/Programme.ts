import { Column, DeleteDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A joint programme, project or campaign. Dates are partial dates as the source gives them;
 * `startsOn`/`endsOn` are the calendar days used to answer "as of" (null when unknown).
 */
@Entity({ name: 'programme' })
export class Programme {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) kind: string;
  @Column({ type: 'text' }) scope: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'text', name: 'start_date', nullable: true }) startDate: string | null;
  @Column({ type: 'text', name: 'end_date', nullable: true }) endDate: string | null;
  @Column({ type: 'date', name: 'starts_on', nullable: true }) startsOn: string | null;
  @Column({ type: 'date', name: 'ends_on', nullable: true }) endsOn: string | null;
  @Column({ type: 'text', nullable: true }) status: string | null;
  @Column({ type: 'text', array: true }) themes: string[];
  @Column({ type: 'text', name: 'supports_process', nullable: true }) supportsProcess: string | null;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ type: 'text', nullable: true }) source: string | null;
  @Column({ type: 'text' }) confidence: string;
  /** 1 when first stored, one more at every change; writes are conditional on it. */
  @Column({ type: 'integer' }) version: number;
  /** Soft delete: set when deleted; reads through TypeORM leave such rows out. */
  @DeleteDateColumn({ type: 'timestamptz', name: 'deleted_at' }) deletedAt: Date | null;
  /** Editors' working note, not public. */
  @Column({ type: 'text', name: 'internal_note', nullable: true }) internalNote: string | null;
}
