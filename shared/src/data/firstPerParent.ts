import type { ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface FirstPerParent {
  /** The column (database name) that says which parent a row belongs to. */
  parentColumn: string;
  parents: readonly (string | number)[];
  /** The list's order within a parent, in column names of the alias `t`, ending with a unique column. */
  orderBy: string;
  /** A condition on the rows before they are numbered, in column names of the alias `t`. */
  where?: string;
  params?: Record<string, unknown>;
  first: number;
}

/**
 * The rows of each parent's list up to `first`, cut by the database rather than by the resolver: a
 * window numbers each parent's live rows in the list's order (row_number() over a partition by
 * parent) and only the rows numbered up to `first` are read. The caller orders the result (alias `e`).
 */
export function firstPerParent<E extends ObjectLiteral>(repo: Repository<E>, o: FirstPerParent): SelectQueryBuilder<E> {
  const { schema, tableName, primaryColumns, deleteDateColumn } = repo.metadata;
  const table = schema ? `${q(schema)}.${q(tableName)}` : q(tableName);
  const key = q(primaryColumns[0].databaseName);
  const parent = `t.${q(o.parentColumn)}`;
  const conditions = [
    `${parent} = ANY(:firstPerParentKeys)`,
    ...(deleteDateColumn ? [`t.${q(deleteDateColumn.databaseName)} IS NULL`] : []),
    ...(o.where ? [`(${o.where})`] : []),
  ];
  return repo.createQueryBuilder('e').where(
    `e.${key} IN (SELECT r.k FROM (
      SELECT t.${key} AS k, row_number() OVER (PARTITION BY ${parent} ORDER BY ${o.orderBy}) AS n
      FROM ${table} t WHERE ${conditions.join(' AND ')}
    ) r WHERE r.n <= :firstPerParentSize)`,
    { ...o.params, firstPerParentKeys: [...o.parents], firstPerParentSize: o.first },
  );
}
