import { Column, DeleteDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A state's or organisation's role in a consultative process (undated in the sources). */
@Entity({ name: 'process_participation' })
export class ProcessParticipation {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'text', name: 'process_code' }) processCode: string;
  @Column({ type: 'text', name: 'participant_type' }) participantType: string;
  @Column({ type: 'char', length: 3, name: 'country_code', nullable: true }) countryCode: string | null;
  @Column({ type: 'text', nullable: true }) organization: string | null;
  @Column({ type: 'text' }) role: string;
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
