import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An organisation outside the nine agencies that implements or funds a programme (IOM, ICMPD, EU, ECOWAS). */
@Entity({ name: 'programme_organization' })
export class ProgrammeOrganization {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'text', name: 'programme_id' }) programmeId: string;
  @Column({ type: 'text' }) organization: string;
  @Column({ type: 'text' }) role: string;
  @Column({ type: 'text', name: 'regional_organization', nullable: true }) regionalOrganization: string | null;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ type: 'text', nullable: true }) source: string | null;
  @Column({ type: 'text' }) confidence: string;
}
