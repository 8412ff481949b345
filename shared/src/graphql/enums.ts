/**
 * The stored value of each value of the enums of shared/schema/common.graphql. The common resolver
 * map declares them, so GraphQL turns stored values into enum values on output and enum values
 * into stored values on input (arguments and mutation inputs alike); codegen types the services'
 * resolvers with them. A service's own enums are declared the same way in its resolvers/enums.ts.
 */

/** How sure the reference data is of a fact (see the data README): its weakest field decides. */
export const Confidence = { SEEN: 'seen', DERIVED: 'derived', UNVERIFIED: 'unverified' } as const;
export type Confidence = (typeof Confidence)[keyof typeof Confidence];

/** Languages in which names and editions are available. */
export const Language = { EN: 'en', FR: 'fr' } as const;
export type Language = (typeof Language)[keyof typeof Language];

/** What a change did to a record, as the audit log stores it. */
export const AuditAction = { CREATE: 'create', UPDATE: 'update', DELETE: 'delete', RESTORE: 'restore' } as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

/** True for a stored value of the enum. */
export function isStored<T extends string>(values: Record<string, T>, value: unknown): value is T {
  return Object.values(values).includes(value as T);
}

/** An enum's values for a mutation's field rule: GraphQL hands mutations the stored value already, which the rule keeps. */
export function asStored(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.values(values).map((stored) => [stored, stored]));
}

/** A stored value as one of an enum's stored values, for a field whose column the entity types as text; any other value fails the field. */
export function storedEnum<T extends string>(values: Record<string, T>, value: string): T {
  if (!isStored(values, value)) throw new Error(`"${value}" is not a stored value of this enum`);
  return value;
}
