import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A UN agency, fund or programme partnering with IOM in the region (UNODC, UNHCR, ILO...). */
@Entity({ name: 'un_agency' })
export class UnAgency {
  @PrimaryColumn({ type: 'text' }) acronym: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text', nullable: true }) mandate: string | null;
  @Column({ type: 'text', nullable: true }) founded: string | null;
  @Column({ type: 'text', nullable: true }) headquarters: string | null;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ type: 'text', nullable: true }) source: string | null;
  @Column({ type: 'text' }) confidence: string;
}
