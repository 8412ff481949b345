/**
 * The stored value of each GraphQL enum value: the resolver map declares them, so GraphQL turns
 * stored values into enum values on output and enum values into stored values on input.
 */
export const MembershipType = { MEMBER: 'member', ASSOCIATE: 'associate' } as const;
export type MembershipType = (typeof MembershipType)[keyof typeof MembershipType];
export const ProcessScope = { REGIONAL: 'regional', GLOBAL: 'global' } as const;
export type ProcessScope = (typeof ProcessScope)[keyof typeof ProcessScope];
export const ProcessStatus = { ACTIVE: 'active', DORMANT: 'dormant' } as const;
export type ProcessStatus = (typeof ProcessStatus)[keyof typeof ProcessStatus];
export const ParticipantRole = {
  MEMBER: 'member',
  OBSERVER: 'observer',
  STEERING_COMMITTEE_MEMBER: 'steering_committee_member',
  STEERING_COMMITTEE_OBSERVER: 'steering_committee_observer',
  CHAIR: 'chair',
  PAST_CHAIR: 'past_chair',
  TWG_CHAIR: 'twg_chair',
  SECRETARIAT: 'secretariat',
  TECHNICAL_SUPPORT: 'technical_support',
  ORGANIZER: 'organizer',
} as const;
export type ParticipantRole = (typeof ParticipantRole)[keyof typeof ParticipantRole];
export const MeetingTheme = {
  BORDER_MANAGEMENT: 'border_management',
  MIGRATION_AND_DEVELOPMENT: 'migration_and_development',
  ROOT_CAUSES: 'root_causes',
  LABOUR_MIGRATION: 'labour_migration',
  IRREGULAR_MOVEMENTS: 'irregular_movements',
  DATA_HARMONISATION: 'data_harmonisation',
  POLICY_AND_LEGISLATION: 'policy_and_legislation',
} as const;
export type MeetingTheme = (typeof MeetingTheme)[keyof typeof MeetingTheme];
