import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A UN agency's role (lead or partner) in a programme. */
@Entity({ name: 'programme_agency' })
export class ProgrammeAgency {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'text', name: 'programme_id' }) programmeId: string;
  @Column({ type: 'text', name: 'agency_acronym' }) agencyAcronym: string;
  @Column({ type: 'text' }) role: string;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ type: 'text', nullable: true }) source: string | null;
  @Column({ type: 'text' }) confidence: string;
}
