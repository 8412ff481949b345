import { Column, DeleteDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A country's signature, ratification, accession or succession to an instrument. Dates are
 * PartialDate text; null means that no source gave the date (the action is still recorded).
 */
@Entity({ name: 'treaty_action' })
export class TreatyAction {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'text', name: 'instrument_code' }) instrumentCode: string;
  @Column({ type: 'char', length: 3, name: 'country_code' }) countryCode: string;
  @Column({ type: 'text' }) action: string;
  @Column({ type: 'text', nullable: true }) date: string | null;
  @Column({ type: 'text', name: 'deposit_date', nullable: true }) depositDate: string | null;
  @Column({ type: 'text', name: 'effective_date', nullable: true }) effectiveDate: string | null;
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
