import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A regional economic community (ECOWAS, ECCAS). */
@Entity({ name: 'regional_organization' })
export class RegionalOrganization {
  @PrimaryColumn({ type: 'text' }) code: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text', name: 'french_name', nullable: true }) frenchName: string | null;
  @Column({ type: 'text', name: 'french_acronym', nullable: true }) frenchAcronym: string | null;
  @Column({ type: 'text', nullable: true }) founded: string | null;
  @Column({ type: 'text', name: 'founding_instrument', nullable: true }) foundingInstrument: string | null;
  @Column({ type: 'text', nullable: true }) headquarters: string | null;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ type: 'text', nullable: true }) source: string | null;
  @Column({ type: 'text' }) confidence: string;
}
