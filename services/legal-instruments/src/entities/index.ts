import { LegalInstrument } from './LegalInstrument';
import { Publication } from './Publication';
import { Training } from './Training';
import { TreatyAction } from './TreatyAction';

export { LegalInstrument, Publication, Training, TreatyAction };
export const entities = [LegalInstrument, TreatyAction, Training, Publication];
