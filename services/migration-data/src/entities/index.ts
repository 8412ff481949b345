import { MigrantStock } from './MigrantStock';
import { MigrationProfile } from './MigrationProfile';
import { StockRevision } from './StockRevision';

export { MigrantStock, MigrationProfile, StockRevision };
export const entities = [MigrationProfile, StockRevision, MigrantStock];
