import { Column, DeleteDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An IOM country migration profile (one edition). `year` is the edition year in the title. */
@Entity({ name: 'migration_profile' })
export class MigrationProfile {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ type: 'char', length: 3, name: 'country_code' }) countryCode: string;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'integer' }) year: number;
  @Column({ type: 'text' }) language: string;
  @Column({ type: 'text', nullable: true }) isbn: string | null;
  @Column({ type: 'integer', nullable: true }) pages: number | null;
  @Column({ type: 'text', nullable: true }) publisher: string | null;
  @Column({ type: 'text', nullable: true }) url: string | null;
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
