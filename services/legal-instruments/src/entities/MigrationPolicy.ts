import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A national migration policy, labour migration policy, diaspora policy or national migration
 * strategy of a state, at the latest status the sources report (one row per document; a revision
 * with its own validation or adoption is a row of its own).
 */
@Entity({ name: 'migration_policy' })
export class MigrationPolicy {
  /** Country, kind and status year, such as NGA-NMP-2015 (UNDATED when no year was found). */
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ type: 'char', length: 3, name: 'country_code' }) countryCode: string;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text', name: 'title_en', nullable: true }) titleEn: string | null;
  @Column({ type: 'text' }) kind: string;
  @Column({ type: 'text' }) status: string;
  @Column({ type: 'integer', nullable: true }) year: number | null;
  /** The partners the sources name, as they name them. */
  @Column({ type: 'text', name: 'supported_by', array: true }) supportedBy: string[];
  /** Those partners that are UN agencies, by acronym (keys of un-partnerships' UnAgency). */
  @Column({ type: 'text', name: 'un_agencies', array: true }) unAgencies: string[];
  @Column({ type: 'boolean', name: 'based_on_migration_profile', nullable: true }) basedOnMigrationProfile: boolean | null;
  /** The migration profile it built on, by key (migration-data's MigrationProfile), when the data names one. */
  @Column({ type: 'text', name: 'migration_profile_id', nullable: true }) migrationProfileId: string | null;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ type: 'text', nullable: true }) source: string | null;
  @Column({ type: 'text' }) confidence: string;
}
