import { Column, DeleteDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A meeting (or mission) of a consultative process. */
@Entity({ name: 'meeting' })
export class Meeting {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ type: 'text', name: 'process_code' }) processCode: string;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text' }) kind: string;
  @Column({ type: 'text', name: 'start_date', nullable: true }) startDate: string | null;
  @Column({ type: 'text', name: 'end_date', nullable: true }) endDate: string | null;
  @Column({ type: 'text', nullable: true }) city: string | null;
  @Column({ type: 'char', length: 3, name: 'country_code', nullable: true }) countryCode: string | null;
  @Column({ type: 'text', array: true }) themes: string[];
  @Column({ type: 'text', nullable: true }) outcome: string | null;
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
