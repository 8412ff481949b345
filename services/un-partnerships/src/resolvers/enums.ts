/**
 * The stored value of each GraphQL enum value: the resolver map declares them, so GraphQL turns
 * stored values into enum values on output and enum values into stored values on input.
 */
export const CustodianRole = {
  IMPLEMENTATION: 'implementation',
  SUPERVISION: 'supervision',
  STANDARD_SETTING: 'standard_setting',
} as const;
export type CustodianRole = (typeof CustodianRole)[keyof typeof CustodianRole];
export const ProgrammeKind = { PROJECT: 'project', CAMPAIGN: 'campaign' } as const;
export type ProgrammeKind = (typeof ProgrammeKind)[keyof typeof ProgrammeKind];
export const ProgrammeScope = { REGIONAL: 'regional', GLOBAL: 'global' } as const;
export type ProgrammeScope = (typeof ProgrammeScope)[keyof typeof ProgrammeScope];
export const ProgrammeStatus = { PLANNED: 'planned', ACTIVE: 'active', COMPLETED: 'completed' } as const;
export type ProgrammeStatus = (typeof ProgrammeStatus)[keyof typeof ProgrammeStatus];
export const ProgrammeTheme = {
  FREE_MOVEMENT: 'free_movement',
  LABOUR_MIGRATION: 'labour_migration',
  MIGRATION_DIALOGUE: 'migration_dialogue',
  HUMAN_TRAFFICKING: 'human_trafficking',
} as const;
export type ProgrammeTheme = (typeof ProgrammeTheme)[keyof typeof ProgrammeTheme];
export const ProgrammeAgencyRole = { LEAD: 'lead', PARTNER: 'partner' } as const;
export type ProgrammeAgencyRole = (typeof ProgrammeAgencyRole)[keyof typeof ProgrammeAgencyRole];
export const ProgrammeOrganizationRole = { IMPLEMENTING_PARTNER: 'implementing_partner', FUNDER: 'funder' } as const;
export type ProgrammeOrganizationRole = (typeof ProgrammeOrganizationRole)[keyof typeof ProgrammeOrganizationRole];
