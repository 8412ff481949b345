import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A manual or study on migration law and policy in the region. */
@Entity({ name: 'publication' })
export class Publication {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text' }) kind: string;
  @Column({ type: 'integer', nullable: true }) year: number | null;
  @Column({ type: 'text', nullable: true }) language: string | null;
  @Column({ type: 'text', nullable: true }) publisher: string | null;
  @Column({ type: 'text', nullable: true }) url: string | null;
  @Column({ type: 'text', array: true }) countries: string[];
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ type: 'text', nullable: true }) source: string | null;
  @Column({ type: 'text' }) confidence: string;
}
