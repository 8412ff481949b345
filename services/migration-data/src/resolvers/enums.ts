/**
 * The stored value of each GraphQL enum value: the resolver map declares them, so GraphQL turns
 * stored values into enum values on output and enum values into stored values on input.
 */
export const StockSide = { DESTINATION: 'destination', ORIGIN: 'origin' } as const;
export type StockSide = (typeof StockSide)[keyof typeof StockSide];
/** A revision is stored by its year; serving another one is a schema change, one enum value. */
export const StockRevision = { REV_2024: '2024', REV_2020: '2020' } as const;
export type StockRevision = (typeof StockRevision)[keyof typeof StockRevision];
