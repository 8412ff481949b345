import { Column, DeleteDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A regional or global consultative process on migration (MIDWA, MIDCAS/DIMAC, IDM). */
@Entity({ name: 'consultative_process' })
export class ConsultativeProcess {
  @PrimaryColumn({ type: 'text' }) code: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text', array: true }) aliases: string[];
  @Column({ type: 'text' }) scope: string;
  @Column({ type: 'text', name: 'lead_organization', nullable: true }) leadOrganization: string | null;
  @Column({ type: 'text', nullable: true }) established: string | null;
  @Column({ type: 'text', nullable: true }) status: string | null;
  @Column({ type: 'text', nullable: true }) secretariat: string | null;
  @Column({ type: 'text', nullable: true }) chair: string | null;
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
