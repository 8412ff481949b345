import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A regional or global consultative process on migration (MIDWA, MIDCAS/DIMAC, IDM). */
@Entity({ name: 'consultative_process' })
export class ConsultativeProcess {
  @PrimaryColumn({ type: 'text' }) code: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text', array: true }) aliases: string[];
  @Column({ type: 'text' }) scope: string;
  @Column({ type: 'text', name: 'lead_organization', nullable: true }) leadOrganization: string | null;
  @Column({ type: 'text', nullable: true }) established: string | null;
  @Column({ type: 'text', nullable: true }) status: string | null;
  @Column({ type: 'text', nullable: true }) secretariat: string | null;
  @Column({ type: 'text', nullable: true }) chair: string | null;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ type: 'text', nullable: true }) source: string | null;
  @Column({ type: 'text' }) confidence: string;
}
