import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

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
}
