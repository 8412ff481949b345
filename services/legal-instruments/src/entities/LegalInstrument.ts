import { Column, DeleteDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A convention or protocol on migration, refugees, trafficking, displacement or labour migration. */
@Entity({ name: 'instrument' })
export class LegalInstrument {
  @PrimaryColumn({ type: 'text' }) code: string;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text', name: 'short_title', nullable: true }) shortTitle: string | null;
  /** French titles, only where a source gives them; null otherwise. */
  @Column({ type: 'text', name: 'title_fr', nullable: true }) titleFr: string | null;
  @Column({ type: 'text', name: 'short_title_fr', nullable: true }) shortTitleFr: string | null;
  @Column({ type: 'text' }) kind: string;
  @Column({ type: 'text' }) scope: string;
  @Column({ type: 'text', name: 'adopting_body', nullable: true }) adoptingBody: string | null;
  @Column({ type: 'text', name: 'adopted_date', nullable: true }) adoptedDate: string | null;
  @Column({ type: 'text', name: 'adopted_place', nullable: true }) adoptedPlace: string | null;
  @Column({ type: 'text', name: 'entry_into_force_date', nullable: true }) entryIntoForceDate: string | null;
  @Column({ type: 'text' }) status: string;
  @Column({ type: 'text', nullable: true }) depositary: string | null;
  /** Editorial tags for search and filtering, not sourced facts. */
  @Column({ type: 'text', array: true }) themes: string[];
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
