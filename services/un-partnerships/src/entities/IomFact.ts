import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An IOM-wide figure (offices, member states, presence), with the date it holds on when a source gives one. */
@Entity({ name: 'iom_fact' })
export class IomFact {
  /** The fact's name and its as-of date (or "undated"), such as member_states_count@2015-11-24. */
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ type: 'text' }) fact: string;
  /** As the source writes it (590+ is not a number). */
  @Column({ type: 'text' }) value: string;
  @Column({ type: 'text', name: 'as_of', nullable: true }) asOf: string | null;
  @Column({ type: 'text', nullable: true }) source: string | null;
  @Column({ type: 'text' }) confidence: string;
}
