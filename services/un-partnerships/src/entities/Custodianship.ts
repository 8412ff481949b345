import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An agency's custodianship of a legal instrument (an instrument code of the legal-instruments service). */
@Entity({ name: 'custodianship' })
export class Custodianship {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'text', name: 'agency_acronym' }) agencyAcronym: string;
  @Column({ type: 'text', name: 'instrument_code' }) instrumentCode: string;
  @Column({ type: 'text' }) role: string;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ type: 'text', nullable: true }) source: string | null;
  @Column({ type: 'text' }) confidence: string;
}
