import { Column, Entity, PrimaryColumn } from 'typeorm';

const bigintOrNull = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/**
 * One origin-destination corridor of the bilateral migrant stock in one year of one revision:
 * migrants from the origin living in the destination at mid-year, male and female side by side
 * (null where the source has no row for that sex) and their total. Country codes are stored as
 * keys (see countryKey.ts). Bulk-loaded by the import and read with SQL (see queries.ts).
 */
@Entity({ name: 'stock_corridor' })
export class StockCorridor {
  @PrimaryColumn({ type: 'text' }) revision: string;
  @PrimaryColumn({ type: 'smallint' }) year: number;
  @PrimaryColumn({ type: 'smallint', name: 'destination_key' }) destinationKey: number;
  @PrimaryColumn({ type: 'smallint', name: 'origin_key' }) originKey: number;
  // bigint arrives as a string from pg; the stocks fit in a JS number.
  @Column({ type: 'bigint', nullable: true, transformer: bigintOrNull }) male: number | null;
  @Column({ type: 'bigint', nullable: true, transformer: bigintOrNull }) female: number | null;
  @Column({ type: 'bigint', nullable: true, insert: false, update: false, transformer: bigintOrNull }) total: number | null;
}
