import { Column, DeleteDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A UN agency, fund or programme partnering with IOM in the region (UNODC, UNHCR, ILO...). */
@Entity({ name: 'un_agency' })
export class UnAgency {
  @PrimaryColumn({ type: 'text' }) acronym: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text', nullable: true }) mandate: string | null;
  @Column({ type: 'text', nullable: true }) founded: string | null;
  @Column({ type: 'text', nullable: true }) headquarters: string | null;
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
