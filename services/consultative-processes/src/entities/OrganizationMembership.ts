import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

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
}
