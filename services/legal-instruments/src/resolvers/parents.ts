// What the resolvers of types that are not entities receive as parent; codegen maps `<Type>Parent` to `<Type>`.
export type { TreatyStatusResult as TreatyStatusParent } from './treatyStatus';
