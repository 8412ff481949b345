import { Column, DeleteDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A country a programme covers, with how the link is known (seen or derived). */
@Entity({ name: 'programme_country' })
export class ProgrammeCountry {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'text', name: 'programme_id' }) programmeId: string;
  @Column({ type: 'char', length: 3, name: 'country_code' }) countryCode: string;
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
