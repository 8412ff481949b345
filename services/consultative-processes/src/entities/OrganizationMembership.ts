import { Column, DeleteDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One period of a country's membership of a regional organisation. `toDate` is the first day the
 * country is no longer a member; `startsOn`/`endsOn` are the calendar days used to answer "as of".
 */
@Entity({ name: 'organization_membership' })
export class OrganizationMembership {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'text', name: 'organization_code' }) organizationCode: string;
  @Column({ type: 'char', length: 3, name: 'country_code' }) countryCode: string;
  @Column({ type: 'text', name: 'membership_type' }) membershipType: string;
  @Column({ type: 'text', name: 'from_date', nullable: true }) fromDate: string | null;
  @Column({ type: 'text', name: 'to_date', nullable: true }) toDate: string | null;
  @Column({ type: 'date', name: 'starts_on', nullable: true }) startsOn: string | null;
  @Column({ type: 'date', name: 'ends_on', nullable: true }) endsOn: string | null;
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
