import { Column, DeleteDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A manual or study on migration law and policy in the region. */
@Entity({ name: 'publication' })
export class Publication {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text' }) kind: string;
  @Column({ type: 'integer', nullable: true }) year: number | null;
  @Column({ type: 'text', nullable: true }) language: string | null;
  @Column({ type: 'text', nullable: true }) publisher: string | null;
  @Column({ type: 'text', nullable: true }) url: string | null;
  @Column({ type: 'text', array: true }) countries: string[];
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
