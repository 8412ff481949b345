import type { BaseContext } from '@apollo/server';
import type { DataSource } from 'typeorm';
import { loadConfig, type ServiceName } from '../../shared/src/runtime/config';
import { ANONYMOUS, type Identity, type Role } from '../../shared/src/auth/identity';
import { createLogger } from '../../shared/src/runtime/logger';
import { prepareDatabase, type ServiceDefinition } from '../../shared/src/runtime/service';
import { createEmptyDatabase } from './privateDatabase';
import { type GraphQLResult, type ServiceHarness, startServiceHarness } from './serviceHarness';

/** Tests of writes shared by the four services: the role matrix, conflicts, counts. */

export const as = (role: Role | null, sub = role ?? 'nobody'): Identity => (role ? { sub, roles: [role] } : ANONYMOUS);

export const ROLES: { name: string; identity: Identity }[] = [
  { name: 'anonymous', identity: ANONYMOUS },
  { name: 'partner', identity: as('partner') },
  { name: 'editor:legal-instruments', identity: as('editor:legal-instruments') },
  { name: 'editor:migration-data', identity: as('editor:migration-data') },
  { name: 'editor:consultative-processes', identity: as('editor:consultative-processes') },
  { name: 'editor:un-partnerships', identity: as('editor:un-partnerships') },
  { name: 'admin', identity: as('admin') },
];

/**
 * A service alone on a database of its own (on the test server, migrated and seeded for this file):
 * the records these tests write never show in the read tests of other files running at the same time.
 */
export async function startPrivateHarness<T extends BaseContext>(def: ServiceDefinition<T>): Promise<ServiceHarness> {
  const db = await createEmptyDatabase(`mg_edit_${def.schema}`);
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  await prepareDatabase(def, db.url, config.database, createLogger(def.name, 'error'));
  const harness = await startServiceHarness(def, db.url);
  return {
    ...harness,
    close: async () => {
      await harness.close();
      await db.drop();
    },
  };
}

/** One editable type of a service, as the role matrix drives it. */
export interface EditableCase {
  /** The mutation suffix: createX, updateX, deleteX, restoreX. */
  name: string;
  /** The payload's field. */
  payload: string;
  /** Fields selected from the changed record; must include the key fields and version. */
  select: string;
  /** A valid create input whose key (or natural key) is unique for the tag. */
  createInput(tag: number): Record<string, unknown>;
  /** The key fields of a record as selected. */
  keyOf(record: Record<string, unknown>): Record<string, unknown>;
  /** A valid change. */
  change: Record<string, unknown>;
}

export const mutationDoc = (verb: 'create' | 'update' | 'delete' | 'restore', c: EditableCase): string => {
  const input = verb === 'create' ? `Create${c.name}Input` : verb === 'update' ? `Update${c.name}Input` : `${c.name}VersionInput`;
  return `mutation($input: ${input}!) { ${verb}${c.name}(input: $input) { ${c.payload} { ${c.select} } } }`;
};

/** Runs a mutation and returns the changed record, failing the test on any error. */
export async function mutate(
  svc: ServiceHarness,
  verb: 'create' | 'update' | 'delete' | 'restore',
  c: EditableCase,
  input: Record<string, unknown>,
  who: Identity,
): Promise<Record<string, unknown>> {
  const result = await svc.execute(mutationDoc(verb, c), { input }, who);
  if (result.errors) throw new Error(`${verb}${c.name} failed: ${JSON.stringify(result.errors)}`);
  return (result.data?.[`${verb}${c.name}`] as Record<string, Record<string, unknown>>)[c.payload];
}

export const codes = (r: GraphQLResult) => (r.errors ?? []).map((e) => e.extensions?.code);

/** Row counts of the tables a write could touch, including the audit log. */
export async function counts(ds: DataSource, schema: string, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of [...tables, 'audit_log']) {
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM "${schema}"."${t}"`);
    out[t] = n;
  }
  return out;
}

/**
 * For every role and every mutation of every editable type: the editors of the service and admins
 * create, update, delete and restore a record of their own; every other role gets FORBIDDEN on each
 * of the four, and nothing is written.
 */
export function describeRoleMatrix(service: ServiceName, schema: string, svc: () => ServiceHarness, cases: EditableCase[]): void {
  let tag = 0;
  const matrix = ROLES.flatMap((role) => cases.map((c) => ({ role: role.name, identity: role.identity, c })));
  it.each(matrix)(
    'lets $role create, update, delete and restore a $c.name only if it edits this domain or is an admin',
    async ({ identity, c }) => {
      const allowed = identity.roles.includes('admin') || identity.roles.includes(`editor:${service}`);
      tag += 1;
      const editor = as(`editor:${service}`);
      if (allowed) {
        const created = await mutate(svc(), 'create', c, c.createInput(tag), identity);
        expect(created.version).toBe(1);
        const key = c.keyOf(created);
        const updated = await mutate(svc(), 'update', c, { ...key, version: 1, ...c.change }, identity);
        expect(updated.version).toBe(2);
        expect((await mutate(svc(), 'delete', c, { ...key, version: 2 }, identity)).version).toBe(3);
        expect((await mutate(svc(), 'restore', c, { ...key, version: 3 }, identity)).version).toBe(4);
        return;
      }
      // A record made by an editor, which the role then tries to change.
      const created = await mutate(svc(), 'create', c, c.createInput(tag), editor);
      const key = c.keyOf(created);
      const before = await svc().ds.query(`SELECT count(*)::int AS n FROM "${schema}"."audit_log"`);
      const attempts: [string, 'create' | 'update' | 'delete' | 'restore', Record<string, unknown>][] = [
        ['create', 'create', c.createInput(tag + 500)],
        ['update', 'update', { ...key, version: 1, ...c.change }],
        ['delete', 'delete', { ...key, version: 1 }],
        ['restore', 'restore', { ...key, version: 1 }],
      ];
      const outcome: Record<string, unknown> = {};
      for (const [label, verb, input] of attempts)
        outcome[label] = codes(await svc().execute(mutationDoc(verb, c), { input }, identity));
      expect(outcome).toEqual({ create: ['FORBIDDEN'], update: ['FORBIDDEN'], delete: ['FORBIDDEN'], restore: ['FORBIDDEN'] });
      expect(await svc().ds.query(`SELECT count(*)::int AS n FROM "${schema}"."audit_log"`)).toEqual(before);
    },
  );
}

export interface RaceOutcome {
  succeeded: number;
  conflicts: number;
  other: number;
  finalIsWinner: boolean;
}

/**
 * Sends `n` updates of one record at once, all from the same version, each with its own value of
 * `field`; reports how many succeeded, how many got CONFLICT, and whether the stored value is the
 * winner's.
 */
export async function race(
  svc: ServiceHarness,
  c: EditableCase,
  key: Record<string, unknown>,
  version: number,
  field: string,
  value: (i: number) => unknown,
  read: () => Promise<unknown>,
  who: Identity,
  n = 50,
): Promise<RaceOutcome> {
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      svc.execute(mutationDoc('update', c), { input: { ...key, version, [field]: value(i) } }, who),
    ),
  );
  const winners = results.map((r, i) => (r.errors ? -1 : i)).filter((i) => i >= 0);
  const conflicts = results.filter((r) => codes(r).length === 1 && codes(r)[0] === 'CONFLICT').length;
  const stored = await read();
  return {
    succeeded: winners.length,
    conflicts,
    other: n - winners.length - conflicts,
    finalIsWinner: winners.length === 1 && JSON.stringify(stored) === JSON.stringify(value(winners[0])),
  };
}
