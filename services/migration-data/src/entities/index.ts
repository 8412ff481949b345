import { IndicatorValue } from './IndicatorValue';
import { MigrantStock } from './MigrantStock';
import { MigrationProfile } from './MigrationProfile';
import { StockRevision } from './StockRevision';

export { IndicatorValue, MigrantStock, MigrationProfile, StockRevision };
export const entities = [MigrationProfile, StockRevision, MigrantStock, IndicatorValue];
