/**
 * Runs a named report (an operation of `operations/`) through the gateway and writes it as a flat CSV
 * or as JSON, for analysts who don't write GraphQL:
 *
 *   npm run report -- <name> [--var key=value ...] [--format csv|json] [--out FILE]
 *
 * GATEWAY_URL (default http://127.0.0.1:4000/graphql) says where the gateway is; AUTHORIZATION, when
 * set, is sent as the Authorization header. `npm run report -- list` lists the reports.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, type OperationDefinitionNode, type TypeNode, type VariableDefinitionNode } from 'graphql';
import { PROJECT_ROOT } from '../shared/src/runtime/config';
import { csvText } from '../shared/src/io/csv';
import { printableLines } from '../shared/src/io/printable';
import { parseCommandLine } from './commandLine';

export const OPERATIONS_DIR = path.join(PROJECT_ROOT, 'operations');
const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000/graphql';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Scalar = null | boolean | number | string;
export type FlatRow = Record<string, Scalar>;

/**
 * Keeps only the items of the list at `list` (a path of field names from the top of the answer)
 * whose value at `field` is present and differs from (`!=`) or equals (`=`) `value`. Declared in a
 * report's comments as `# @keep <list> where <field> != <value>`.
 */
export interface KeepRule {
  list: string[];
  field: string[];
  op: '=' | '!=';
  value: string;
}

export class ReportError extends Error {}

export interface Report {
  name: string;
  document: string;
  operation: OperationDefinitionNode;
  keep: KeepRule[];
}

/** The names of the reports: the operation files, without `.graphql`, in order. */
export function reportNames(dir = OPERATIONS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .map((f) => f.slice(0, -'.graphql'.length))
    .sort();
}

const KEEP = /^#\s*@keep\s+([\w.]+)\s+where\s+([\w.]+)\s*(!=|=)\s*(\S+)\s*$/;

export function loadReport(name: string, dir = OPERATIONS_DIR): Report {
  if (!/^[a-z0-9-]+$/.test(name) || !reportNames(dir).includes(name)) {
    throw new ReportError(`No report is called "${name}". Reports: ${reportNames(dir).join(', ')}`);
  }
  const document = fs.readFileSync(path.join(dir, `${name}.graphql`), 'utf8');
  const operations = parse(document).definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1) throw new ReportError(`The report "${name}" must hold exactly one operation`);
  const keep = document
    .split('\n')
    .map((line) => KEEP.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ list: m[1].split('.'), field: m[2].split('.'), op: m[3] as '=' | '!=', value: m[4] }));
  return { name, document, operation: operations[0], keep };
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
      if (text.trim() === '' || !Number.isFinite(n)) throw new ReportError(`--var ${key} must be a number, not "${text}"`);
      return n;
    }
    if (type.name === 'Boolean') {
      if (text !== 'true' && text !== 'false') throw new ReportError(`--var ${key} must be true or false, not "${text}"`);
      return text === 'true';
    }
    return text;
  };
  return type.list ? raw.split(',').map((s) => one(s.trim())) : one(raw);
}

/** `key=value` pairs typed by the report's variable definitions; a list takes comma-separated values. */
export function reportVariables(report: Report, pairs: string[]): Record<string, unknown> {
  const defs = new Map((report.operation.variableDefinitions ?? []).map((d) => [d.variable.name.value, d]));
  const variables: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ReportError(`--var takes key=value, not "${pair}"`);
    const key = pair.slice(0, eq);
    const def = defs.get(key);
    if (!def) {
      const known = [...defs.keys()];
      throw new ReportError(
        `The report "${report.name}" has no variable "${key}"${known.length ? ` (it takes: ${known.join(', ')})` : ''}`,
      );
    }
    variables[key] = coerce(def, pair.slice(eq + 1));
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

function isScalar(v: Json | undefined): v is Scalar {
  return v === null || typeof v !== 'object';
}

/** Whether a value holds, at any depth, a list of objects (which makes rows of its own). */
function hasRecords(v: Json): boolean {
  if (Array.isArray(v)) return v.some((item) => item !== null && typeof item === 'object');
  if (v === null || typeof v !== 'object') return false;
  return Object.values(v).some(hasRecords);
}

/**
 * The answer as flat rows: one row per leaf record (an object of the deepest list on its branch),
 * carrying the scalar fields of every object above it; columns are named by path (`country.code`).
 * Sibling lists give rows of their own, not a cross product; a list of scalars is one cell, its
 * values joined by "; ". An object whose lists are all empty still gives one row.
 */
export function flattenRows(data: Json): FlatRow[] {
  const rows: FlatRow[] = [];
  const visit = (value: Json, prefix: string, inherited: FlatRow): FlatRow[] => {
    if (Array.isArray(value)) return value.flatMap((item) => visit(item, prefix, inherited));
    if (value === null || typeof value !== 'object') return [{ ...inherited, [prefix]: value }];
    const own: FlatRow = { ...inherited };
    const nested: [string, Json][] = [];
    const collect = (obj: { [key: string]: Json }, base: string) => {
      for (const [key, v] of Object.entries(obj)) {
        const name = base ? `${base}.${key}` : key;
        if (Array.isArray(v) && v.every(isScalar)) {
          if (hasRecords(v)) nested.push([name, v]);
          else own[name] = v.length === 0 ? null : v.map((s) => (s === null ? '' : String(s))).join('; ');
        } else if (isScalar(v)) own[name] = v;
        else if (hasRecords(v)) nested.push([name, v]);
        else if (!Array.isArray(v)) collect(v, name);
      }
    };
    collect(value, prefix);
    const below = nested.flatMap(([name, v]) => visit(v, name, own));
    return below.length > 0 ? below : [own];
  };
  rows.push(...visit(data, '', {}));
  return rows;
}

/**
 * RFC 4180 CSV with a header of every column, in the order the columns first appear; a text cell
 * that a spreadsheet would run as a formula is written as text (shared/src/io/csv.ts).
 */
export function toCsv(rows: FlatRow[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  return csvText([columns, ...rows.map((row) => columns.map((c) => row[c]))]);
}

export interface RunOptions {
  name: string;
  vars?: string[];
  gatewayUrl?: string;
  authorization?: string;
}

/** Runs a report through the gateway; fails with every GraphQL error (message and code) on error. */
export async function runReport(opts: RunOptions): Promise<Json> {
  const report = loadReport(opts.name);
  const variables = reportVariables(report, opts.vars ?? []);
  const url = opts.gatewayUrl ?? DEFAULT_GATEWAY_URL;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.authorization ? { authorization: opts.authorization } : {}),
      },
      body: JSON.stringify({ query: report.document, variables }),
    });
  } catch {
    throw new ReportError(`The gateway at ${url} could not be reached (is it running? set GATEWAY_URL)`);
  }
  const text = await res.text();
  let body: {
    data?: Json;
    errors?: { message: string; extensions?: { code?: string } }[];
    extensions?: { valueCompletion?: { message: string; path?: (string | number)[] }[] };
  };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new ReportError(`The gateway answered HTTP ${res.status} without a GraphQL response`);
  }
  if (body.errors && body.errors.length > 0) {
    throw new ReportError(body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('\n'));
  }
  // The gateway blanks a value a service failed to complete and says so only here, without an
  // error: a report built from that answer would be silently short.
  const incomplete = body.extensions?.valueCompletion ?? [];
  if (incomplete.length > 0) {
    throw new ReportError(
      incomplete
        .map((v) => `The answer is incomplete: ${v.message}${v.path?.length ? ` (at ${v.path.join('.')})` : ''}`)
        .join('\n'),
    );
  }
  if (body.data === undefined || body.data === null)
    throw new ReportError(`The gateway answered HTTP ${res.status} without data`);
  return applyKeep(body.data, report.keep);
}

interface Args {
  name?: string;
  vars: string[];
  format: 'csv' | 'json';
  out?: string;
}

export function parseArgs(argv: string[]): Args {
  const { values, positionals } = parseCommandLine(
    argv,
    { var: { type: 'string', multiple: true }, format: { type: 'string' }, out: { type: 'string' } },
    { positionals: true, fail: (message) => new ReportError(message.replace(/^unknown/, 'Unknown')) },
  );
  const { var: vars = [], format = 'csv', out } = values;
  if (format !== 'csv' && format !== 'json') throw new ReportError(`--format must be csv or json, not "${format}"`);
  if (positionals.length > 1) throw new ReportError(`One report at a time (got "${positionals[0]}" and "${positionals[1]}")`);
  return { name: positionals[0], vars, format, out };
}

export function formatReport(data: Json, format: 'csv' | 'json'): string {
  return format === 'json' ? JSON.stringify(data, null, 2) + '\n' : toCsv(flattenRows(data));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.name === undefined || args.name === 'list') {
    process.stdout.write(`Reports (npm run report -- <name> [--var key=value ...] [--format csv|json] [--out FILE]):\n`);
    for (const name of reportNames()) {
      const vars = (loadReport(name).operation.variableDefinitions ?? []).map((d) => d.variable.name.value);
      process.stdout.write(`  ${name}${vars.length ? `  (--var ${vars.join(', ')})` : ''}\n`);
    }
    return;
  }
  const gatewayUrl = process.env.GATEWAY_URL || undefined;
  if (gatewayUrl !== undefined && !/^https?:\/\//.test(gatewayUrl))
    throw new ReportError(`GATEWAY_URL must be an http(s) URL, not "${gatewayUrl}"`);
  const data = await runReport({
    name: args.name,
    vars: args.vars,
    gatewayUrl,
    authorization: process.env.AUTHORIZATION || undefined,
  });
  // Formatted in full before anything is written: a failure leaves no file, not even an empty one.
  const text = formatReport(data, args.format);
  if (args.out) {
    fs.writeFileSync(args.out, text);
    process.stderr.write(
      `[report] ${args.name}: ${args.format === 'csv' ? flattenRows(data).length + ' rows' : 'JSON'} written to ${args.out}\n`,
    );
  } else process.stdout.write(text);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // Messages quote the gateway's answer: shown with control characters and escape sequences escaped.
    process.stderr.write(`[report] ${printableLines(error instanceof Error ? error.message : String(error))}\n`);
    process.exit(error instanceof ReportError ? 2 : 1);
  });
}
