// What the resolvers of types that are not entities receive as parent; codegen maps `<Type>Parent` to `<Type>`.
// Entities of other services: this service holds their keys only.
export interface LegalInstrumentParent {
  code: string;
}
export interface ConsultativeProcessParent {
  code: string;
}
export interface RegionalOrganizationParent {
  code: string;
}
