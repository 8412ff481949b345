import {
  buildSchema,
  getNamedType,
  type GraphQLArgument,
  GraphQLEnumType,
  type GraphQLField,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLList,
  GraphQLNonNull,
  type GraphQLObjectType,
  type GraphQLScalarType,
  type GraphQLSchema,
  isLeafType,
  isObjectType,
  Kind,
} from 'graphql';

/** A deterministic generator (mulberry32): the same seed gives the same requests on every run. */
export function random(seed: number): { next(): number; int(max: number): number; pick<T>(items: readonly T[]): T } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (max) => Math.floor(next() * max), pick: (items) => items[Math.floor(next() * items.length)] };
}

type Rng = ReturnType<typeof random>;

/** SQL, script and template fragments, encodings and oddities, tried in every string argument. */
export const HOSTILE_STRINGS = [
  "' OR '1'='1",
  "'; DROP TABLE legal.instrument; --",
  '"; DELETE FROM dialogue.membership; --',
  "SEN' UNION SELECT usename, passwd FROM pg_shadow --",
  "1; UPDATE partners.agency SET acronym = 'X'",
  "SEN')); TRUNCATE data.migrant_stock CASCADE; --",
  "$$; COPY (SELECT 1) TO PROGRAM 'id'; $$",
  'SEN%27%20OR%201%3D1',
  '\\x27 OR 1=1',
  "pg_sleep(10)--",
  "'||pg_sleep(10)||'",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}',
  '${7*7}',
  '#{7*7}',
  '__proto__',
  'constructor',
  '../../../../etc/passwd',
  '\u0000',
  'SEN\u0000',
  '\ud800',
  '\u202eNES',
  'S\u0301EN',
  '🇸🇳',
  '',
  ' ',
  'sen',
  'SEN',
  'NaN',
  '-1',
  '9999-99-99',
  '2024-02-30',
  '0000-00-00',
  '1e309',
  '%s%s%s%n',
  'null',
  'undefined',
  '*',
  '%',
  '_',
  '\\',
  'o:99999999999',
  'bzo5OTk5OTk5OTk',
  'x'.repeat(5000),
];

const HOSTILE_INTS = [0, -1, 1, 2147483647, -2147483648, 2147483648, 1e20, 3.5, Number.MAX_SAFE_INTEGER, -0];

/** Marks an enum value when writing a literal. */
interface EnumValue {
  enumValue: string;
}

type Value = string | number | boolean | null | EnumValue | Value[] | { [key: string]: Value };

function unwrap(type: GraphQLInputType): GraphQLInputType {
  return type instanceof GraphQLNonNull ? (type.ofType as GraphQLInputType) : type;
}

/** A hostile value for an input type: mostly of the right shape with hostile content, sometimes of the wrong shape. */
export function hostileValue(type: GraphQLInputType, rng: Rng, depth = 0): Value {
  if (rng.next() < 0.12) {
    return rng.pick<Value>([null, 'SEN', 42, true, [], {}, { enumValue: 'NOT_A_VALUE' }, HOSTILE_STRINGS[rng.int(HOSTILE_STRINGS.length)]]);
  }
  const inner = unwrap(type);
  if (inner instanceof GraphQLList) {
    const length = rng.pick([0, 1, 3, 50]);
    return Array.from({ length }, () => hostileValue(inner.ofType as GraphQLInputType, rng, depth + 1));
  }
  if (inner instanceof GraphQLEnumType) {
    const values = inner.getValues().map((v) => v.name);
    return { enumValue: rng.next() < 0.6 ? rng.pick(values) : rng.pick(['DROP', 'null', 'REV_2024_OR_1', values[0].toLowerCase()]) };
  }
  if (inner instanceof GraphQLInputObjectType) {
    const out: Record<string, Value> = {};
    for (const field of Object.values(inner.getFields())) {
      if (depth < 3 && (field.type instanceof GraphQLNonNull || rng.next() < 0.7)) out[field.name] = hostileValue(field.type, rng, depth + 1);
    }
    if (rng.next() < 0.1) out.unknownField = "' OR 1=1 --";
    return out;
  }
  const scalar = inner as GraphQLScalarType;
  if (scalar.name === 'Int' || scalar.name === 'Float') return rng.pick(HOSTILE_INTS);
  if (scalar.name === 'Boolean') return rng.next() < 0.5;
  return rng.pick(HOSTILE_STRINGS);
}

/** Writes a value as a GraphQL literal. JSON string escapes are valid GraphQL string escapes. */
export function literal(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if ('enumValue' in value && typeof value.enumValue === 'string') return /^[_A-Za-z][_0-9A-Za-z]*$/.test(value.enumValue) ? value.enumValue : '_';
  return `{${Object.entries(value).map(([k, v]) => `${k}: ${literal(v)}`).join(', ')}}`;
}

/** The same value as a JSON variable (enums travel as strings). */
function variableValue(value: Value): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(variableValue);
  if ('enumValue' in value && typeof value.enumValue === 'string') return value.enumValue;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, variableValue(v as Value)]));
}

/** A small selection of an output type: __typename and a few leaf fields that need no argument. */
function selection(field: GraphQLField<unknown, unknown>, rng: Rng, depth = 0): string {
  const type = getNamedType(field.type);
  if (isLeafType(type)) return '';
  if (!isObjectType(type)) return '{ __typename }';
  const picks: string[] = ['__typename'];
  for (const f of Object.values(type.getFields())) {
    if (f.args.some((a) => a.type instanceof GraphQLNonNull)) continue;
    const named = getNamedType(f.type);
    if (isLeafType(named)) {
      if (rng.next() < 0.5) picks.push(f.name);
    } else if (depth < 2 && rng.next() < 0.2) {
      picks.push(`${f.name} ${selection(f, rng, depth + 1)}`);
    }
  }
  return `{ ${picks.join(' ')} }`;
}

export interface RootField {
  field: GraphQLField<unknown, unknown>;
  graph: string;
}

/** Root query fields of the supergraph with the subgraph (join__field graph) that owns each. */
export function rootFields(supergraphSdl: string): { schema: GraphQLSchema; fields: RootField[] } {
  const schema = buildSchema(supergraphSdl, { assumeValidSDL: true });
  const query = schema.getQueryType() as GraphQLObjectType;
  const fields = Object.values(query.getFields()).map((field) => {
    const join = field.astNode?.directives?.find((d) => d.name.value === 'join__field');
    const graph = join?.arguments?.find((a) => a.name.value === 'graph');
    return { field, graph: graph && graph.value.kind === Kind.ENUM ? graph.value.value : '' };
  });
  return { schema, fields: fields.filter((f) => f.graph !== '') };
}

/** Country's own fields (with arguments) are reached through country(code: "SEN"). */
export function countryFields(schema: GraphQLSchema): GraphQLField<unknown, unknown>[] {
  const country = schema.getType('Country') as GraphQLObjectType;
  return Object.values(country.getFields()).filter((f) => f.args.length > 0);
}

function argsText(args: readonly GraphQLArgument[], rng: Rng): string {
  const parts = args.filter((a) => a.type instanceof GraphQLNonNull || rng.next() < 0.8).map((a) => `${a.name}: ${literal(hostileValue(a.type, rng))}`);
  return parts.length > 0 ? `(${parts.join(', ')})` : '';
}

/** One operation on one field with hostile inline arguments. */
export function inlineOperation(field: GraphQLField<unknown, unknown>, rng: Rng, underCountry: boolean): string {
  const call = `${field.name}${argsText(field.args, rng)} ${selection(field, rng)}`;
  return underCountry ? `{ country(code: "SEN") { code ${call} } }` : `{ ${call} }`;
}

/** The same with every argument passed as a typed variable, with hostile (sometimes ill-typed) values. */
export function variableOperation(field: GraphQLField<unknown, unknown>, rng: Rng): { query: string; variables: Record<string, unknown> } {
  const variables: Record<string, unknown> = {};
  const defs: string[] = [];
  const uses: string[] = [];
  for (const arg of field.args) {
    defs.push(`$${arg.name}: ${String(arg.type)}`);
    uses.push(`${arg.name}: $${arg.name}`);
    if (rng.next() < 0.9) variables[arg.name] = variableValue(hostileValue(arg.type, rng));
  }
  const head = defs.length > 0 ? `query Fuzz(${defs.join(', ')})` : 'query Fuzz';
  const call = `${field.name}${uses.length > 0 ? `(${uses.join(', ')})` : ''} ${selection(field, rng)}`;
  return { query: `${head} { ${call} }`, variables };
}

/** One HTTP request of the fuzz run: what it tries, and how to send it. */
export interface HostileRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function postJson(kind: string, payload: unknown): HostileRequest {
  return { kind, method: 'POST', path: '/graphql', headers: JSON_HEADERS, body: JSON.stringify(payload) };
}

function nested(open: string, close: string, depth: number, inner: string): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

function isListField(field: GraphQLField<unknown, unknown>): boolean {
  const type = field.type instanceof GraphQLNonNull ? field.type.ofType : field.type;
  return type instanceof GraphQLList;
}

/**
 * Amplification: a chain of object fields from a root field, taking a list wherever there is one,
 * up to `depth` levels (the shape of finding 1: every list multiplies the objects asked for).
 */
export function amplification(rng: Rng, fields: RootField[], depth: number): string {
  const roots = fields.filter((f) => isObjectType(getNamedType(f.field.type)) && f.field.args.every((a) => !(a.type instanceof GraphQLNonNull) || a.name === 'code'));
  if (roots.length === 0) return '{ __typename }';
  const root = rng.pick(roots).field;
  const head = root.args.some((a) => a.name === 'code') ? `${root.name}(code: ${getNamedType(root.type).name === 'Country' ? '"SEN"' : '"ICRMW"'})` : root.name;
  const chain: string[] = [head];
  let type = getNamedType(root.type);
  for (let level = 1; level < depth && isObjectType(type); level++) {
    const next = Object.values(type.getFields()).filter((f) => isObjectType(getNamedType(f.type)) && f.args.every((a) => !(a.type instanceof GraphQLNonNull)));
    if (next.length === 0) break;
    const lists = next.filter(isListField);
    const field = lists.length > 0 && rng.next() < 0.8 ? rng.pick(lists) : rng.pick(next);
    chain.push(field.name);
    type = getNamedType(field.type);
  }
  return `{ ${chain.join(' { ')} { __typename }${' }'.repeat(chain.length - 1)} }`;
}

/** Fragment fan-out (finding 2): each of `depth` fragments spreads the next `width` times. */
export function fragmentFanOut(depth: number, width: number, leaf: string): string {
  const fragments = Array.from({ length: depth }, (_, i) =>
    i === depth - 1 ? `fragment F${i} on Query { ${leaf} }` : `fragment F${i} on Query { ${Array(width).fill(`...F${i + 1}`).join(' ')} }`,
  );
  return `query FanOut { ...F0 } ${fragments.join(' ')}`;
}

/**
 * Builds request number `i` for a target whose root fields are `fields`. Every kind of hostile
 * input the issue lists: arguments (inline and as variables), invalid JSON, wrong content types,
 * huge strings and lists, deep nesting, alias floods, unknown fields and operations, odd HTTP.
 */
export function hostileRequest(rng: Rng, fields: RootField[], country: GraphQLField<unknown, unknown>[]): HostileRequest {
  const field = rng.pick(fields).field;
  const valid = JSON.stringify({ query: `{ __typename ${field.name === 'country' ? 'country(code: "SEN") { code }' : ''} }` });
  switch (rng.int(14)) {
    case 12:
      return postJson('amplification', { query: amplification(rng, fields, rng.pick([3, 5, 8, 11])) });
    case 13: {
      const leaf = rng.next() < 0.5 ? '__typename' : `${field.name === 'country' ? 'country(code: "SEN") { code }' : '__typename'}`;
      return postJson('fragment fan-out', { query: fragmentFanOut(rng.pick([3, 6, 9, 12, 20]), rng.pick([2, 10, 50]), leaf) });
    }
    case 0:
    case 1:
      return postJson('inline arguments', { query: inlineOperation(field, rng, false) });
    case 2:
      return country.length > 0 && rng.next() < 0.5
        ? postJson('inline arguments on Country', { query: inlineOperation(rng.pick(country), rng, true) })
        : postJson('inline arguments', { query: inlineOperation(field, rng, false) });
    case 3:
    case 4:
      return postJson('variables', variableOperation(field, rng));
    case 5: {
      const broken = [
        valid.slice(0, rng.int(valid.length)),
        valid.replace('{', '{{'),
        `${valid}garbage`,
        '{"query": "{ __typename }",}',
        "{'query': '{ __typename }'}",
        '\u0000\u0001\u0002',
        nested('[', ']', 20_000, ''),
        '{"query": NaN}',
        '',
        '\ufeff' + valid,
        Buffer.from([0xff, 0xfe, 0xfd]).toString('latin1'),
      ];
      return { kind: 'invalid JSON', method: 'POST', path: '/graphql', headers: JSON_HEADERS, body: rng.pick(broken) };
    }
    case 6: {
      const type = rng.pick([
        'text/plain',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
        'application/graphql',
        'application/json; charset=utf-7',
        'application/jsonx',
        '',
      ]);
      return { kind: 'wrong content type', method: 'POST', path: '/graphql', headers: type ? { 'content-type': type } : {}, body: rng.next() < 0.5 ? valid : 'query=%7B__typename%7D' };
    }
    case 7: {
      const size = rng.pick([10_000, 100_000, 300_000]);
      const text = rng.pick(['x', "'", '\\u0000', 'é', '{']).repeat(size);
      return rng.next() < 0.5
        ? postJson('huge string', { query: `{ country(code: ${JSON.stringify(text)}) { code } }` })
        : postJson('huge string', { query: `query Q($code: ID!) { country(code: $code) { code } }`, variables: { code: text } });
    }
    case 8: {
      const length = rng.pick([1_000, 20_000]);
      const list = Array.from({ length }, (_, k) => (rng.next() < 0.5 ? k : `${k}' OR 1=1`));
      return rng.next() < 0.5
        ? postJson('huge list', { query: 'query Q($years: [Int!]) { worldStock(years: $years) { year } }', variables: { years: list } })
        : postJson('huge list', { query: `{ countries(filter: { codes: ${literal(list.map(String))} }) { totalCount } }` });
    }
    case 9: {
      const depth = rng.pick([50, 500, 5_000]);
      const shapes = [
        () => `{ ${nested('country(code: "SEN") { ', ' }', 1, nested('a { ', ' }', depth, 'b'))} }`,
        () => `{ ${nested('__schema { types { fields { type { ofType { ', ' } } } } }', Math.min(depth, 200), 'name')} }`,
        () => `{ country(code: ${nested('[', ']', depth, '"SEN"')}) { code } }`,
        () => `query Q($x: ID!) { country(code: $x) { code } }`,
        () => nested('{', '}', depth, ''),
      ];
      const shape = rng.int(shapes.length);
      if (shape === 3) {
        // Written as text: JSON.stringify itself would overflow the stack on this.
        const variables = `{"x":${nested('{"a":', '}', depth, '1')}}`;
        return { kind: 'deep nesting', method: 'POST', path: '/graphql', headers: JSON_HEADERS, body: `{"query":${JSON.stringify(shapes[3]())},"variables":${variables}}` };
      }
      return postJson('deep nesting', { query: shapes[shape]() });
    }
    case 10: {
      const count = rng.pick([200, 1_000, 3_000]);
      const aliased =
        rng.next() < 0.5
          ? Array.from({ length: count }, (_, k) => `a${k}: __typename`)
          : Array.from({ length: Math.min(count, 300) }, (_, k) => `a${k}: ${field.name === 'country' ? 'country(code: "SEN") { code }' : '__typename'}`);
      const fragments = rng.next() < 0.3 ? ' fragment A on Query { ...B } fragment B on Query { ...A }' : '';
      return postJson('alias flood', { query: `{ ${aliased.join(' ')} }${fragments}` });
    }
    default: {
      const odd: HostileRequest[] = [
        postJson('unknown field', { query: '{ notAField { id } }' }),
        postJson('unknown field', { query: `{ ${field.name} { notAField } }` }),
        postJson('unknown operation', { query: '{ __typename }', operationName: 'DoesNotExist' }),
        postJson('unknown operation', { query: 'query A { __typename } query B { __typename }' }),
        postJson('unknown operation', { query: 'mutation { deleteEverything }' }),
        postJson('unknown operation', { query: 'subscription { everything }' }),
        postJson('unknown operation', { query: '{ __typename @notADirective @skip(if: "yes") }' }),
        postJson('malformed payload', [{ query: '{ __typename }' }, { query: '{ __typename }' }]),
        postJson('malformed payload', null),
        postJson('malformed payload', 'query'),
        postJson('malformed payload', { query: 5 }),
        postJson('malformed payload', { query: '{ __typename }', variables: '$x' }),
        postJson('malformed payload', { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: "' OR 1=1" } } }),
        postJson('malformed payload', { extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }),
        postJson('malformed payload', { query: '{ __typename }', __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } }),
        { kind: 'odd HTTP', method: 'GET', path: '/graphql?query=%7B__typename%7D', headers: {} },
        { kind: 'odd HTTP', method: 'GET', path: '/graphql?query=%E0%A4%A&variables=%ZZ', headers: { 'apollo-require-preflight': 'true' } },
        { kind: 'odd HTTP', method: 'GET', path: `/graphql?query=${encodeURIComponent(`{ ${field.name} }`)}`, headers: { 'apollo-require-preflight': 'true' } },
        { kind: 'odd HTTP', method: 'GET', path: '/graphql?query=mutation%7Bx%7D', headers: { 'apollo-require-preflight': 'true' } },
        { kind: 'odd HTTP', method: 'PUT', path: '/graphql', headers: JSON_HEADERS, body: valid },
        { kind: 'odd HTTP', method: 'DELETE', path: '/graphql', headers: {} },
        { kind: 'odd HTTP', method: 'PATCH', path: '/graphql', headers: JSON_HEADERS, body: valid },
        { kind: 'odd HTTP', method: 'POST', path: '/graphql/../../etc/passwd', headers: JSON_HEADERS, body: valid },
        { kind: 'odd HTTP', method: 'POST', path: '/%00', headers: JSON_HEADERS, body: valid },
        { kind: 'odd HTTP', method: 'POST', path: '/graphql', headers: { ...JSON_HEADERS, 'content-length': '999999999' }, body: valid },
        { kind: 'odd HTTP', method: 'POST', path: '/graphql', headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, body: valid },
      ];
      return rng.pick(odd);
    }
  }
}
