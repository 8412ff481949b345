import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A revision of the UN DESA International Migrant Stock ('2024', '2020'), with what was loaded. */
@Entity({ name: 'stock_revision' })
export class StockRevision {
  @PrimaryColumn({ type: 'text' }) code: string;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text' }) citation: string;
  @Column({ type: 'text', name: 'source_url', nullable: true }) sourceUrl: string | null;
  @Column({ type: 'text', nullable: true }) published: string | null;
  @Column({ type: 'smallint', array: true }) years: number[];
  @Column({ type: 'integer', name: 'row_count' }) rowCount: number;
  @Column({ type: 'text' }) sha256: string;
  @Column({ type: 'timestamptz', name: 'loaded_at' }) loadedAt: Date;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ type: 'text', nullable: true }) source: string | null;
  @Column({ type: 'text' }) confidence: string;
}
