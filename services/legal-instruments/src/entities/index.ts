import { LegalInstrument } from './LegalInstrument';
import { MigrationPolicy } from './MigrationPolicy';
import { Publication } from './Publication';
import { Training } from './Training';
import { TreatyAction } from './TreatyAction';
import { TreatyCoverage } from './TreatyCoverage';

export { LegalInstrument, MigrationPolicy, Publication, Training, TreatyAction, TreatyCoverage };
export const entities = [LegalInstrument, TreatyAction, TreatyCoverage, Training, Publication, MigrationPolicy];
