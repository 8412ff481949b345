import fs from 'node:fs';
import path from 'node:path';
import {
  Kind,
  parse,
  print,
  type OperationDefinitionNode,
  type TypeNode,
  valueFromASTUntyped,
  type VariableDefinitionNode,
} from 'graphql';

/**
 * The named reports: one operation per `.graphql` file of a folder (`operations/`), read as it is,
 * with a few declarations in its comment lines:
 *
 *   # @keep <list path> where <field path> != <value>       keep only the list items that match (also `=`)
 *   # @pivot <list path> by <field path> value <field path>  one column per distinct key instead of a table
 *
 * Paths are response keys (aliases when given) from the top of the answer, as in its JSON
 * (`countries.edges.node.treatyStatuses`).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A request for a report the caller got wrong: an unknown report, variable or table, a bad value. */
export class ReportError extends Error {
  constructor(
    message: string,
    readonly code: 'NOT_FOUND' | 'BAD_USER_INPUT' = 'BAD_USER_INPUT',
  ) {
    super(message);
  }
}

export interface KeepRule {
  list: string[];
  field: string[];
  op: '=' | '!=';
  value: string;
}

/** A list turned into columns of its parent's row: one per distinct value at `key`, holding the value at `value`. */
export interface PivotRule {
  list: string[];
  key: string[];
  value: string[];
}

export interface ReportVariable {
  name: string;
  /** The GraphQL type as written (`Date!`, `[ID!]`). */
  type: string;
  /** The default as JSON, when the operation gives one. */
  default?: unknown;
  required: boolean;
}

export interface Report {
  name: string;
  /** The comment lines before the operation, without declarations: what the report answers. */
  description: string;
  document: string;
  operation: OperationDefinitionNode;
  variables: ReportVariable[];
  keep: KeepRule[];
  pivots: PivotRule[];
}

/** Query parameters of a download that are not variables of the report. */
export const RESERVED_PARAMETERS = ['sep', 'table', 'dates'] as const;

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** The names of the reports: the operation files, without `.graphql`, in order. */
export function reportNames(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.graphql') && NAME.test(f.slice(0, -'.graphql'.length)))
    .map((f) => f.slice(0, -'.graphql'.length))
    .sort();
}

const KEEP = /^#\s*@keep\s+([\w.]+)\s+where\s+([\w.]+)\s*(!=|=)\s*(\S+)\s*$/;
const PIVOT = /^#\s*@pivot\s+([\w.]+)\s+by\s+([\w.]+)\s+value\s+([\w.]+)\s*$/;

function typeText(type: TypeNode): string {
  return print(type);
}

function variableOf(def: VariableDefinitionNode): ReportVariable {
  return {
    name: def.variable.name.value,
    type: typeText(def.type),
    ...(def.defaultValue ? { default: valueFromASTUntyped(def.defaultValue) } : {}),
    required: def.type.kind === Kind.NON_NULL_TYPE && !def.defaultValue,
  };
}

/** Reads one report; an unknown name is NOT_FOUND, a file that is not one named query is refused. */
export function loadReport(name: string, dir: string): Report {
  if (!NAME.test(name) || !reportNames(dir).includes(name)) {
    throw new ReportError(`No report is called "${name.slice(0, 100)}". Reports: ${reportNames(dir).join(', ')}`, 'NOT_FOUND');
  }
  const document = fs.readFileSync(path.join(dir, `${name}.graphql`), 'utf8');
  const operations = parse(document).definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1 || operations[0].operation !== 'query') {
    throw new Error(`The report "${name}" must hold exactly one query`);
  }
  const lines = document.split('\n').map((line) => line.trim());
  const keep = lines
    .map((line) => KEEP.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ list: m[1].split('.'), field: m[2].split('.'), op: m[3] as '=' | '!=', value: m[4] }));
  const pivots = lines
    .map((line) => PIVOT.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ list: m[1].split('.'), key: m[2].split('.'), value: m[3].split('.') }));
  const description = lines
    .slice(
      0,
      Math.max(
        0,
        lines.findIndex((l) => !l.startsWith('#')),
      ),
    )
    .filter((l) => !/^#\s*@/.test(l))
    .map((l) => l.replace(/^#\s?/, ''))
    .join(' ')
    .replace(/:\s*$/, '.')
    .trim();
  const variables = (operations[0].variableDefinitions ?? []).map(variableOf);
  const reserved = variables.find((v) => (RESERVED_PARAMETERS as readonly string[]).includes(v.name));
  if (reserved) throw new Error(`The report "${name}" names a variable "${reserved.name}", which downloads use for themselves`);
  return { name, description, document, operation: operations[0], variables, keep, pivots };
}

function namedType(type: TypeNode): { name: string; list: boolean } {
  if (type.kind === Kind.NON_NULL_TYPE) return namedType(type.type);
  if (type.kind === Kind.LIST_TYPE) return { name: namedType(type.type).name, list: true };
  return { name: type.name.value, list: false };
}

function coerce(def: VariableDefinitionNode, raw: string): unknown {
  const key = def.variable.name.value;
  const type = namedType(def.type);
  const one = (text: string): unknown => {
    if (type.name === 'Int' || type.name === 'Float') {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n))
        throw new ReportError(`The variable "${key}" must be a number, not "${text}"`);
      return n;
    }
    if (type.name === 'Boolean') {
      if (text !== 'true' && text !== 'false')
        throw new ReportError(`The variable "${key}" must be true or false, not "${text}"`);
      return text === 'true';
    }
    return text;
  };
  return type.list ? raw.split(',').map((s) => one(s.trim())) : one(raw);
}

/**
 * Text values (a query string's, a command line's) typed by the report's variable definitions: a
 * list takes comma-separated values. A name the report does not take is refused with the names it
 * does; values are then checked by the gateway like any query's variables.
 */
export function reportVariables(report: Report, values: [string, string][]): Record<string, unknown> {
  const defs = new Map((report.operation.variableDefinitions ?? []).map((d) => [d.variable.name.value, d]));
  const variables: Record<string, unknown> = {};
  for (const [key, raw] of values) {
    const def = defs.get(key);
    if (!def) {
      const known = [...defs.keys()];
      throw new ReportError(
        `The report "${report.name}" has no variable "${key.slice(0, 100)}"${known.length ? ` (it takes: ${known.join(', ')})` : ''}`,
      );
    }
    if (key in variables) throw new ReportError(`The variable "${key}" is given twice`);
    variables[key] = coerce(def, raw);
  }
  return variables;
}

function at(value: Json | undefined, steps: string[]): Json | undefined {
  let current = value;
  for (const step of steps) {
    if (current === null || current === undefined || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = current[step];
  }
  return current;
}

/** Applies the report's keep rules to the answer; a copy, the answer is left as it is. */
export function applyKeep(data: Json, rules: KeepRule[]): Json {
  let result = data;
  for (const rule of rules) {
    const walk = (value: Json, steps: string[]): Json => {
      if (Array.isArray(value)) return value.map((item) => walk(item, steps));
      if (value === null || typeof value !== 'object') return value;
      const [head, ...rest] = steps;
      if (!(head in value)) return value;
      const child = value[head];
      if (rest.length > 0) return { ...value, [head]: walk(child, rest) };
      if (!Array.isArray(child)) return value;
      const kept = child.filter((item) => {
        const v = at(item, rule.field);
        if (v === undefined || v === null || typeof v === 'object') return false;
        return rule.op === '=' ? String(v) === rule.value : String(v) !== rule.value;
      });
      return { ...value, [head]: kept };
    };
    result = walk(result, rule.list);
  }
  return result;
}
