import { Custodianship } from './Custodianship';
import { IomFact } from './IomFact';
import { Programme } from './Programme';
import { ProgrammeAgency } from './ProgrammeAgency';
import { ProgrammeCountry } from './ProgrammeCountry';
import { ProgrammeOrganization } from './ProgrammeOrganization';
import { UnAgency } from './UnAgency';

export { Custodianship, IomFact, Programme, ProgrammeAgency, ProgrammeCountry, ProgrammeOrganization, UnAgency };
export const entities = [UnAgency, Custodianship, Programme, ProgrammeAgency, ProgrammeOrganization, ProgrammeCountry, IomFact];
