import { Column, DeleteDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An international migration law training (IOM's CEDEAO project). */
@Entity({ name: 'training' })
export class Training {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ type: 'text' }) project: string;
  @Column({ type: 'text', name: 'project_type', nullable: true }) projectType: string | null;
  @Column({ type: 'char', length: 3, name: 'country_code', nullable: true }) countryCode: string | null;
  @Column({ type: 'text' }) activity: string;
  @Column({ type: 'char', length: 3, name: 'location_code', nullable: true }) locationCode: string | null;
  @Column({ type: 'text', name: 'start_date', nullable: true }) startDate: string | null;
  @Column({ type: 'text', name: 'end_date', nullable: true }) endDate: string | null;
  @Column({ type: 'text', nullable: true }) duration: string | null;
  @Column({ type: 'text', nullable: true }) participants: string | null;
  @Column({ type: 'boolean', name: 'benefiting_member_state', nullable: true }) benefitingMemberState: boolean | null;
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
