import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A country a programme covers, with how the link is known (seen or derived). */
@Entity({ name: 'programme_country' })
export class ProgrammeCountry {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'text', name: 'programme_id' }) programmeId: string;
  @Column({ type: 'char', length: 3, name: 'country_code' }) countryCode: string;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ type: 'text', nullable: true }) source: string | null;
  @Column({ type: 'text' }) confidence: string;
}
