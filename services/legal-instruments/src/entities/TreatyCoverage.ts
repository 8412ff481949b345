import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Where an instrument's treaty actions come from: the participant list (or the sources) behind
 * them, its date, and whether it is complete for the 27 states. A state absent from a complete
 * list was neither signatory nor party on that date; where the list is not complete, a missing
 * action means unknown.
 */
@Entity({ name: 'treaty_coverage' })
export class TreatyCoverage {
  @PrimaryColumn({ type: 'text', name: 'instrument_code' }) instrumentCode: string;
  @Column({ type: 'text', name: 'source_list' }) sourceList: string;
  @Column({ type: 'text', name: 'as_of', nullable: true }) asOf: string | null;
  @Column({ type: 'boolean' }) complete: boolean;
  @Column({ type: 'text', name: 'states_listed', array: true }) statesListed: string[];
  @Column({ type: 'text', name: 'states_absent', array: true }) statesAbsent: string[];
  @Column({ type: 'text', nullable: true }) notes: string | null;
}
