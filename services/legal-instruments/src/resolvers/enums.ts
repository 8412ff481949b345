/**
 * The stored value of each GraphQL enum value: the resolver map declares them, so GraphQL turns
 * stored values into enum values on output and enum values into stored values on input.
 */
export const InstrumentKind = {
  CONVENTION: 'convention',
  PROTOCOL: 'protocol',
  REGIONAL_PROTOCOL: 'regional protocol',
  ILO_CONVENTION: 'ILO convention',
} as const;
export type InstrumentKind = (typeof InstrumentKind)[keyof typeof InstrumentKind];
export const InstrumentScope = { GLOBAL: 'global', REGIONAL: 'regional' } as const;
export type InstrumentScope = (typeof InstrumentScope)[keyof typeof InstrumentScope];
export const InstrumentStatus = { IN_FORCE: 'in_force', NOT_IN_FORCE: 'not_in_force' } as const;
export type InstrumentStatus = (typeof InstrumentStatus)[keyof typeof InstrumentStatus];
export const TreatyActionType = {
  SIGNATURE: 'signature',
  RATIFICATION: 'ratification',
  ACCESSION: 'accession',
  SUCCESSION: 'succession',
} as const;
export type TreatyActionType = (typeof TreatyActionType)[keyof typeof TreatyActionType];
export const PublicationKind = { MANUAL: 'manual', STUDY: 'study' } as const;
export type PublicationKind = (typeof PublicationKind)[keyof typeof PublicationKind];
export const MigrationPolicyKind = {
  NATIONAL_MIGRATION_POLICY: 'national migration policy',
  LABOUR_MIGRATION_POLICY: 'labour migration policy',
  DIASPORA_POLICY: 'diaspora policy',
  MIGRATION_STRATEGY: 'migration strategy',
} as const;
export type MigrationPolicyKind = (typeof MigrationPolicyKind)[keyof typeof MigrationPolicyKind];
export const MigrationPolicyStatus = {
  ADOPTED: 'adopted',
  LAUNCHED: 'launched',
  VALIDATED: 'validated',
  DRAFT: 'draft',
  UNDER_DEVELOPMENT: 'under development',
} as const;
export type MigrationPolicyStatus = (typeof MigrationPolicyStatus)[keyof typeof MigrationPolicyStatus];
