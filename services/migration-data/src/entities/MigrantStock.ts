import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One source row of the bilateral migrant stock: migrants from `originCode` living in
 * `destinationCode` at mid-year, of one sex. Bulk-loaded and aggregated in SQL (see queries.ts).
 */
@Entity({ name: 'migrant_stock' })
export class MigrantStock {
  @PrimaryColumn({ type: 'text' }) revision: string;
  @PrimaryColumn({ type: 'char', length: 3, name: 'destination_code' }) destinationCode: string;
  @PrimaryColumn({ type: 'smallint' }) year: number;
  @PrimaryColumn({ type: 'char', length: 3, name: 'origin_code' }) originCode: string;
  @PrimaryColumn({ type: 'text' }) sex: string;
  // bigint arrives as a string from pg; the stocks fit in a JS number.
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) stock: number;
}
