import type { GraphQLError } from 'graphql';
import { SERVICE_NAMES, type ServiceName } from '../runtime/config';
import { graphError } from '../graphql/errors';

/**
 * Who is asking, as the gateway verified it (from a bearer JWT) and forwarded it to the services
 * in signed headers. A service trusts only what the gateway signed; a request without a valid
 * signature is rejected before any resolver runs.
 */
export type Role = 'partner' | `editor:${ServiceName}` | 'admin';

export interface Identity {
  /** The token's subject; null for anonymous requests. */
  sub: string | null;
  roles: Role[];
}

export const ANONYMOUS: Identity = Object.freeze({ sub: null, roles: [] }) as Identity;

export const ALL_ROLES: Role[] = ['partner', ...SERVICE_NAMES.map((s) => `editor:${s}` as Role), 'admin'];

export function isRole(value: string): value is Role {
  return (ALL_ROLES as string[]).includes(value);
}

/** Partners, editors and admins read non-public fields (unverified or draft records, contacts). */
export function canReadRestricted(identity: Identity): boolean {
  return identity.roles.length > 0;
}

export function isAdmin(identity: Identity): boolean {
  return identity.roles.includes('admin');
}

/** Editors of a domain (or admins) may change that domain's records. */
export function canEdit(identity: Identity, service: ServiceName): boolean {
  return isAdmin(identity) || identity.roles.includes(`editor:${service}`);
}

export function forbidden(message: string): GraphQLError {
  return graphError('FORBIDDEN', message);
}

export function requireEditor(identity: Identity, service: ServiceName): void {
  if (!canEdit(identity, service)) {
    throw forbidden(
      identity.sub ? `Editing ${service} data needs the editor:${service} or admin role` : 'Sign in to change data',
    );
  }
}

export function requireAdmin(identity: Identity): void {
  if (!isAdmin(identity)) throw forbidden('Only admins may do this');
}
