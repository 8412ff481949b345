import type { Population } from '../import/displacement';
import type { MissingMigrantCause } from '../import/missingMigrants';
import type { IncidentDimension } from '../entities/missingMigrants';
/**
 * The stored value of each GraphQL enum value: the resolver map declares them, so GraphQL turns
 * stored values into enum values on output and enum values into stored values on input.
 */
export const StockSide = { DESTINATION: 'destination', ORIGIN: 'origin' } as const;
export type StockSide = (typeof StockSide)[keyof typeof StockSide];
/** A revision is stored by its year; serving another one is a schema change, one enum value. */
export const StockRevision = { REV_2024: '2024', REV_2020: '2020' } as const;
export type StockRevision = (typeof StockRevision)[keyof typeof StockRevision];

/** UNHCR population types, stored as the table's column names. */
export const DisplacedPopulation = {
  REFUGEES: 'refugees',
  ASYLUM_SEEKERS: 'asylum_seekers',
  REFUGEE_RETURNS: 'refugee_returns',
  IDPS: 'idps',
  IDP_RETURNS: 'idp_returns',
  STATELESS: 'stateless',
  OTHERS_OF_CONCERN: 'others_of_concern',
} as const satisfies Record<string, Population>;
export type DisplacedPopulation = (typeof DisplacedPopulation)[keyof typeof DisplacedPopulation];

/** MMP's causes, stored as the source spells them. */
export const MissingMigrantsCause = {
  DROWNING: 'Drowning',
  VEHICLE_ACCIDENT: 'Vehicle accident / death linked to hazardous transport',
  VIOLENCE: 'Violence',
  SICKNESS: 'Sickness / lack of access to adequate healthcare',
  HARSH_CONDITIONS: 'Harsh environmental conditions / lack of adequate shelter, food, water',
  ACCIDENTAL_DEATH: 'Accidental death',
  MIXED_OR_UNKNOWN: 'Mixed or unknown',
} as const satisfies Record<string, MissingMigrantCause>;
export type MissingMigrantsCause = (typeof MissingMigrantsCause)[keyof typeof MissingMigrantsCause];

/** What totals are grouped by, as the query module names it. */
export const MissingMigrantsDimension = {
  ROUTE: 'route',
  YEAR: 'year',
  COUNTRY: 'country',
  CAUSE: 'cause',
} as const satisfies Record<string, IncidentDimension>;
export type MissingMigrantsDimension = (typeof MissingMigrantsDimension)[keyof typeof MissingMigrantsDimension];
