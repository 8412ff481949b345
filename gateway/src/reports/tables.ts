import {
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { Json, PivotRule, Report } from './definitions';

/**
 * A report's answer as spreadsheet tables. The operation and the schema say what each field is, so
 * the tables and their columns are known before any data, an empty list included:
 *
 * - every list of objects is a table of its own, one row per item (a connection's `edges.node`
 *   items), led by what identifies the records above it on its branch (the country a treaty status
 *   belongs to): no table is stacked under another, and sibling lists never cross;
 * - a record above is identified by its key fields (its federation `@key`, else its `ID` fields)
 *   and its first label (`name`, `shortTitle`, `title`) as far as the report selects them; its
 *   other fields are in its own table only. A record with no key selected keeps all its columns;
 * - a list whose items come down to one value (`programmes { id }`) is one cell, its values joined
 *   by "; ", as is a list of scalars;
 * - a list a report declares as a pivot (`# @pivot`) becomes columns of its parent's row, one per
 *   distinct key (the ratification matrix: one column per instrument);
 * - a root field with no list under it is a one-row table;
 * - a column is named by the last field of its path, and by as many fields before that as it takes
 *   to tell it from the table's other columns (`country code`, `instrument code`): an alias in the
 *   report renames it;
 * - a column empty in every row is left out.
 */

type Scalar = null | boolean | number | string;

interface LeafShape {
  kind: 'leaf';
  /** Response keys from the top of the answer. */
  path: string[];
  /** The same without a connection's edges and node: what columns are named from. */
  name: string[];
  list: boolean;
  /** A Date or PartialDate: text in a spreadsheet, never a day it would guess. */
  date: boolean;
  /** What the field is to the object it belongs to: part of its key, its label, or neither. */
  role?: Role;
  /** The response path of that object: a label counts only beside a key of the same object. */
  owner: string;
}

interface ObjectShape {
  kind: 'object';
  path: string[];
  name: string[];
  list: boolean;
  /** Set for a connection: the items are value[edges][i][node]. */
  connection?: { edges: string; node: string };
  fields: { key: string; shape: Shape }[];
  /** For a capped list (a `first` argument): the most items it gives, as asked or by default. */
  first?: number;
  /** When `first` is a variable: its name, whose value given with the report replaces `first`. */
  firstVariable?: string;
}

type Shape = LeafShape | ObjectShape;

type Role = 'key' | 'label';

/** Fields that name a record to a reader, the first selected one being its label. */
const LABELS = ['name', 'shortTitle', 'title'];

/** The key fields of a type: its federation keys in a supergraph (`@join__type(key:)`) or subgraph (`@key`), else its ID fields. */
function keyFields(type: GraphQLObjectType | GraphQLInterfaceType): Set<string> {
  const keys = new Set<string>();
  for (const node of [type.astNode, ...type.extensionASTNodes]) {
    for (const directive of node?.directives ?? []) {
      if (directive.name.value !== 'join__type' && directive.name.value !== 'key') continue;
      const fields = directive.arguments?.find((a) => a.name.value === (directive.name.value === 'key' ? 'fields' : 'key'));
      // Only a key's top-level fields: a nested selection (`country { code }`) is not a column of this record.
      if (fields?.value.kind === Kind.STRING) {
        for (const f of fields.value.value.replace(/\{[^{}]*\}/g, ' ').split(/\s+/)) if (f) keys.add(f);
      }
    }
  }
  if (keys.size === 0) {
    for (const [name, field] of Object.entries(type.getFields())) if (getNamedType(field.type).name === 'ID') keys.add(name);
  }
  return keys;
}

export interface ColumnInfo {
  label: string;
  /** Dates and partial dates: kept as text. */
  date: boolean;
}

export interface Table {
  name: string;
  columns: ColumnInfo[];
  rows: Scalar[][];
}

function fieldsOf(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): FieldNode[] {
  return selectionSet.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s];
    if (s.kind === Kind.INLINE_FRAGMENT) return fieldsOf(s.selectionSet, fragments, seen);
    const fragment = fragments.get(s.name.value);
    if (!fragment || seen.has(s.name.value)) return [];
    return fieldsOf(fragment.selectionSet, fragments, new Set([...seen, s.name.value]));
  });
}

function isList(type: GraphQLOutputType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner);
}

type Fields = Record<string, GraphQLField<unknown, unknown>>;

function objectType(type: GraphQLOutputType): GraphQLObjectType | GraphQLInterfaceType | undefined {
  const named = getNamedType(type);
  return isObjectType(named) || isInterfaceType(named) ? named : undefined;
}

function objectFields(type: GraphQLOutputType): Fields | undefined {
  return objectType(type)?.getFields();
}

/**
 * The most items a list field gives: its `first` as written in the report, or, when that is a
 * variable, the variable's default (the value given with the report replaces it: see cutLists), or
 * the field's own default.
 */
function firstOf(
  field: FieldNode,
  def: GraphQLField<unknown, unknown>,
  variables: readonly VariableDefinitionNode[],
): { first?: number; firstVariable?: string } {
  const given = field.arguments?.find((a) => a.name.value === 'first')?.value;
  if (given?.kind === Kind.INT) return { first: Number(given.value) };
  const fallback = def.args.find((a) => a.name === 'first')?.defaultValue;
  const byField = typeof fallback === 'number' ? { first: fallback } : {};
  if (given?.kind === Kind.VARIABLE) {
    const variable = given.name.value;
    const defaultValue = variables.find((v) => v.variable.name.value === variable)?.defaultValue;
    return { ...(defaultValue?.kind === Kind.INT ? { first: Number(defaultValue.value) } : byField), firstVariable: variable };
  }
  return given === undefined ? byField : {};
}

/** The shape of the answer: for each field, whether it is a list, an object, a connection or a date. */
function shapeOf(report: Report, schema: GraphQLSchema): ObjectShape {
  const document = parse(report.document);
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const walk = (
    selectionSet: SelectionSetNode,
    type: GraphQLObjectType | GraphQLInterfaceType | undefined,
    path: string[],
    name: string[],
  ): { key: string; shape: Shape }[] => {
    const out: { key: string; shape: Shape }[] = [];
    const parent: Fields = type?.getFields() ?? {};
    const keys = type ? keyFields(type) : new Set<string>();
    const owner = path.join('.');
    let labelled = false;
    for (const field of fieldsOf(selectionSet, fragments)) {
      const key = field.alias?.value ?? field.name.value;
      if (field.name.value === '__typename' || out.some((f) => f.key === key)) continue;
      const def = parent[field.name.value] as GraphQLField<unknown, unknown> | undefined;
      if (!def) continue;
      const here = [...path, key];
      const keyPath = [...name, key];
      const named = getNamedType(def.type);
      if (isLeafType(named) || !field.selectionSet) {
        const label: boolean = !labelled && LABELS.includes(field.name.value);
        labelled ||= label;
        out.push({
          key,
          shape: {
            kind: 'leaf',
            path: here,
            name: keyPath,
            list: isList(def.type),
            date: named.name === 'Date' || named.name === 'PartialDate',
            ...(keys.has(field.name.value) ? { role: 'key' as const } : label ? { role: 'label' as const } : {}),
            owner,
          },
        });
        continue;
      }
      const fields = objectFields(def.type) ?? {};
      const edgesField = fieldsOf(field.selectionSet, fragments).find((f) => f.name.value === 'edges');
      const edgesDef = fields.edges as GraphQLField<unknown, unknown> | undefined;
      const edgeFields = edgesDef ? objectFields(edgesDef.type) : undefined;
      const nodeField = edgesField?.selectionSet
        ? fieldsOf(edgesField.selectionSet, fragments).find((f) => f.name.value === 'node')
        : undefined;
      if (!isList(def.type) && 'pageInfo' in fields && edgesField && edgeFields && nodeField?.selectionSet) {
        const edges = edgesField.alias?.value ?? 'edges';
        const node = nodeField.alias?.value ?? 'node';
        out.push({
          key,
          shape: {
            kind: 'object',
            path: here,
            name: keyPath,
            list: true,
            connection: { edges, node },
            fields: walk(nodeField.selectionSet, objectType(edgeFields.node.type), [...here, edges, node], keyPath),
          },
        });
        continue;
      }
      out.push({
        key,
        shape: {
          kind: 'object',
          path: here,
          name: keyPath,
          list: isList(def.type),
          fields: walk(field.selectionSet, objectType(def.type), here, keyPath),
          ...firstOf(field, def, report.operation.variableDefinitions ?? []),
        },
      });
    }
    return out;
  };
  const query = schema.getQueryType();
  if (!query) throw new Error('the schema has no Query type');
  return {
    kind: 'object',
    path: [],
    name: [],
    list: false,
    fields: walk(report.operation.selectionSet, query, [], []),
  };
}

type Getter = (record: Json) => Json | undefined;

function step(get: Getter, key: string): Getter {
  return (record) => {
    const v = get(record);
    return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v[key] : undefined;
  };
}

/** The items of a list field's value (a connection's nodes). */
function itemsOf(shape: ObjectShape, value: Json | undefined): Json[] {
  if (shape.connection) {
    const { edges, node } = shape.connection;
    const list =
      value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value) ? value[edges] : null;
    return Array.isArray(list)
      ? list.map((e) => (e !== null && typeof e === 'object' && !Array.isArray(e) ? (e[node] ?? null) : null))
      : [];
  }
  return Array.isArray(value) ? value : [];
}

interface ColumnSpec {
  name: string[];
  /** The fewest keys its name takes: a list's cell is named by the list too (`programmes id`). */
  minKeys?: number;
  date: boolean;
  role?: Role;
  owner?: string;
  get: (record: Json) => Scalar;
}

/**
 * The columns of a record above a table's own: its objects' keys, and the label of an object whose
 * key is there. Without any key, nothing else tells its rows apart: all of them.
 */
function identifying(columns: ColumnSpec[]): ColumnSpec[] {
  const keyed = new Set(columns.filter((c) => c.role === 'key').map((c) => c.owner));
  if (keyed.size === 0) return columns;
  return columns.filter((c) => c.role === 'key' || (c.role === 'label' && keyed.has(c.owner)));
}

interface ListSpec {
  shape: ObjectShape;
  get: Getter;
  record: RecordSpec;
}

interface PivotSpec {
  shape: ObjectShape;
  get: Getter;
  key: Getter;
  value: Getter;
  date: boolean;
}

interface RecordSpec {
  columns: ColumnSpec[];
  lists: ListSpec[];
  pivots: PivotSpec[];
}

const samePath = (a: string[], b: string[]) => a.length === b.length && a.every((k, i) => k === b[i]);

function scalarOf(v: Json | undefined): Scalar {
  if (v === undefined) return null;
  if (Array.isArray(v)) return v.length === 0 ? null : v.map((s) => (s === null ? '' : String(scalarOf(s)))).join('; ');
  if (v !== null && typeof v === 'object') return null;
  return v;
}

function leafGetter(shape: Shape, from: string[]): Getter {
  const relative = shape.path.slice(from.length);
  return relative.reduce<Getter>(
    (get, key) => step(get, key),
    (r) => r,
  );
}

/** The columns and child lists of one object of the answer (its non-list objects are walked into). */
function recordSpec(shape: ObjectShape, pivots: PivotRule[]): RecordSpec {
  const base = shape.connection ? [...shape.path, shape.connection.edges, shape.connection.node] : shape.path;
  const spec: RecordSpec = { columns: [], lists: [], pivots: [] };
  const visit = (fields: ObjectShape['fields']) => {
    for (const { shape: f } of fields) {
      const get = leafGetter(f, base);
      if (f.kind === 'leaf') {
        spec.columns.push({ name: f.name, date: f.date, role: f.role, owner: f.owner, get: (r) => scalarOf(get(r)) });
        continue;
      }
      if (!f.list) {
        visit(f.fields);
        continue;
      }
      const itemBase = f.connection ? [...f.path, f.connection.edges, f.connection.node] : f.path;
      const pivot = pivots.find((p) => samePath(p.list, itemBase) || samePath(p.list, f.path));
      if (pivot) {
        const leaf = (steps: string[]) =>
          steps.reduce<Getter>(
            (g, k) => step(g, k),
            (r) => r,
          );
        const valueLeaf = findLeaf(f, [...itemBase, ...pivot.value]);
        spec.pivots.push({ shape: f, get, key: leaf(pivot.key), value: leaf(pivot.value), date: valueLeaf?.date ?? false });
        continue;
      }
      const child = recordSpec(f, pivots);
      if (child.columns.length === 1 && child.lists.length === 0 && child.pivots.length === 0) {
        const [only] = child.columns;
        // Named by the list and the value (`programmes id`), not the value alone.
        spec.columns.push({
          name: [...f.name, only.name[only.name.length - 1]],
          minKeys: 2,
          date: only.date,
          get: (r) => scalarOf(itemsOf(f, get(r)).map((item) => only.get(item))),
        });
        continue;
      }
      spec.lists.push({ shape: f, get, record: child });
    }
  };
  visit(shape.fields);
  return spec;
}

function findLeaf(shape: ObjectShape, path: string[]): LeafShape | undefined {
  for (const { shape: f } of shape.fields) {
    if (f.kind === 'leaf' && samePath(f.path, path)) return f;
    if (f.kind === 'object') {
      const found = findLeaf(f, path);
      if (found) return found;
    }
  }
  return undefined;
}

interface TableSpec {
  /** The lists from the top down to the table's own; the table's rows are the last one's items. */
  chain: ListSpec[];
  /** For a root field with no list under it: the answer itself is its one row. */
  rootKey?: string;
}

/** The shortest endings of each path (at least one key, or `minKeys[i]`) that tell the paths apart. */
export function shortNames(paths: string[][], minKeys: number[] = []): string[] {
  const lengths = paths.map((p, i) => Math.min(p.length, minKeys[i] ?? 1));
  const label = (i: number) => paths[i].slice(-lengths[i]).join(' ');
  for (;;) {
    const labels = paths.map((_, i) => label(i));
    let grew = false;
    labels.forEach((l, i) => {
      if (labels.indexOf(l) !== labels.lastIndexOf(l) && lengths[i] < paths[i].length) {
        lengths[i] += 1;
        grew = true;
      }
    });
    if (!grew) return labels;
  }
}

/** The tables a report's answer makes, in the order of its lists; computed from the operation and the schema. */
export class ReportTables {
  private readonly root: RecordSpec;
  private readonly shape: ObjectShape;
  private readonly specs: TableSpec[];
  /** Each column's name, the same in every table of the report. */
  private readonly labels = new Map<string, string>();
  readonly names: string[];

  constructor(report: Report, schema: GraphQLSchema) {
    const shape = shapeOf(report, schema);
    this.shape = shape;
    this.root = recordSpec(shape, report.pivots);
    const specs: TableSpec[] = [];
    const collect = (chain: ListSpec[], record: RecordSpec) => {
      for (const list of record.lists) {
        specs.push({ chain: [...chain, list] });
        collect([...chain, list], list.record);
      }
    };
    collect([], this.root);
    // A root field with no table under it, or whose columns the tables under it do not all carry
    // (they carry its keys and label only), would lose them: its columns make a one-row table, after
    // the others so that a report's first table stays its first list.
    for (const key of [...new Set(this.root.columns.map((c) => c.name[0]))]) {
      const columns = this.root.columns.filter((c) => c.name[0] === key);
      const under = specs.some((s) => s.chain[0]?.shape.path[0] === key);
      if (!under || identifying(columns).length < columns.length) specs.push({ chain: [], rootKey: key });
    }
    this.specs = specs;
    const paths = specs.map((s) => (s.rootKey !== undefined ? [s.rootKey] : s.chain[s.chain.length - 1].shape.name));
    this.names = shortNames(paths).map((n) => n.replace(/ /g, '.'));
    // Named across the whole report, so that a column has one name in every table of it.
    const all = new Map<string, ColumnSpec>();
    const gather = (record: RecordSpec) => {
      for (const c of record.columns) all.set(c.name.join('.'), c);
      for (const list of record.lists) gather(list.record);
    };
    gather(this.root);
    const columns = [...all.values()];
    const labels = shortNames(
      columns.map((c) => c.name),
      columns.map((c) => c.minKeys ?? 1),
    );
    columns.forEach((c, i) => this.labels.set(c.name.join('.'), labels[i]));
  }

  /**
   * Capped lists of the answer (not connections) that came back as long as their cap: they may have
   * been cut, and the download says so. Named by path, with the cap: a page size given in a variable
   * is read from the report's `variables`.
   */
  cutLists(data: Json, variables: Record<string, unknown> = {}): string[] {
    const found = new Set<string>();
    const visit = (shape: ObjectShape, value: Json | undefined) => {
      for (const { key, shape: f } of shape.fields) {
        if (f.kind !== 'object') continue;
        const child =
          value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
        if (f.connection) {
          for (const item of itemsOf(f, child)) visit(f, item);
          continue;
        }
        const items = Array.isArray(child) ? child : [child ?? null];
        const given = f.firstVariable === undefined ? undefined : variables[f.firstVariable];
        const first = typeof given === 'number' ? given : f.first;
        if (f.list && first !== undefined && Array.isArray(child) && child.length >= first) {
          found.add(`${f.name.join('.')} (${first}, the most it gives)`);
        }
        for (const item of items) visit(f, item);
      }
    };
    visit(this.shape, data);
    return [...found];
  }

  /** Every table of an answer (its keep rules already applied). */
  tables(data: Json): Table[] {
    return this.specs.map((spec, i) => this.table(this.names[i], spec, data));
  }

  private table(name: string, spec: TableSpec, data: Json): Table {
    const top = spec.rootKey ?? spec.chain[0]?.shape.path[0];
    // Root fields are unrelated to each other: a table takes the root's columns of its own root field only.
    const rootColumns = this.root.columns.filter((c) => c.name[0] === top);
    // The records above the table's own are there to say whose rows these are: their identifying columns only.
    const levels = [rootColumns, ...spec.chain.map((l) => l.record.columns)];
    const columnSets = levels.map((set, level) => (level < levels.length - 1 ? identifying(set) : set));
    const columns = columnSets.flat();
    const last = spec.chain[spec.chain.length - 1] as ListSpec | undefined;
    const pivots = last?.record.pivots ?? [];
    // Rows as the values of each level's record, top first.
    let rows: { records: Json[] }[] = [{ records: [data] }];
    for (const list of spec.chain) {
      rows = rows.flatMap((row) =>
        itemsOf(list.shape, list.get(row.records[row.records.length - 1])).map((item) => ({
          records: [...row.records, item],
        })),
      );
    }
    const pivotKeys = pivots.map((p) => {
      const keys: string[] = [];
      for (const row of rows) {
        for (const item of itemsOf(p.shape, p.get(row.records[row.records.length - 1]))) {
          const k = scalarOf(p.key(item));
          if (k !== null && !keys.includes(String(k))) keys.push(String(k));
        }
      }
      return keys.sort();
    });
    const values: Scalar[][] = rows.map((row) => {
      const own = columnSets.flatMap((set, level) => set.map((c) => c.get(row.records[level])));
      const pivoted = pivots.flatMap((p, i) => {
        const items = itemsOf(p.shape, p.get(row.records[row.records.length - 1]));
        return pivotKeys[i].map((key) => {
          const found = items.filter((item) => String(scalarOf(p.key(item))) === key);
          return scalarOf(found.map((item) => p.value(item) ?? null));
        });
      });
      return [...own, ...pivoted];
    });
    const columnLabels = columns.map((c) => this.labels.get(c.name.join('.')) ?? c.name.join(' '));
    // A pivot's columns are named by their key alone (the instrument's code) unless that is ambiguous.
    const pivotPaths = pivots.flatMap((p, i) => pivotKeys[i].map((key) => [...p.shape.name, key]));
    const pivotLabels = shortNames(pivotPaths).map((label, j) =>
      columnLabels.includes(label) ? pivotPaths[j].slice(-2).join(' ') : label,
    );
    const labels = [...columnLabels, ...pivotLabels];
    const dates = [...columns.map((c) => c.date), ...pivots.flatMap((p, i) => pivotKeys[i].map(() => p.date))];
    const keep = labels.map((_, j) => rows.length === 0 || values.some((row) => row[j] !== null && row[j] !== ''));
    return {
      name,
      columns: labels.map((label, j) => ({ label, date: dates[j] })).filter((_, j) => keep[j]),
      rows: values.map((row) => row.filter((_, j) => keep[j])),
    };
  }
}
