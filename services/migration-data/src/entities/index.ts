import { IndicatorValue } from './IndicatorValue';
import { MigrationProfile } from './MigrationProfile';
import { StockCorridor } from './StockCorridor';
import { StockRevision } from './StockRevision';

export { IndicatorValue, MigrationProfile, StockCorridor, StockRevision };
export const entities = [MigrationProfile, StockRevision, StockCorridor, IndicatorValue];
