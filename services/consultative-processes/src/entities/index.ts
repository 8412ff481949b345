import { ConsultativeProcess } from './ConsultativeProcess';
import { Meeting } from './Meeting';
import { OrganizationMembership } from './OrganizationMembership';
import { ProcessParticipation } from './ProcessParticipation';
import { RegionalOrganization } from './RegionalOrganization';

export { ConsultativeProcess, Meeting, OrganizationMembership, ProcessParticipation, RegionalOrganization };
export const entities = [RegionalOrganization, OrganizationMembership, ConsultativeProcess, ProcessParticipation, Meeting];
