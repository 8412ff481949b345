import {
  buildSchema,
  getNamedType,
  type GraphQLArgument,
  GraphQLEnumType,
  type GraphQLField,
  GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLNamedType,
  GraphQLList,
  GraphQLNonNull,
  type GraphQLObjectType,
  type GraphQLScalarType,
  type GraphQLSchema,
  isLeafType,
  isObjectType,
  Kind,
} from 'graphql';
import * as fc from 'fast-check';

const pick = <T>(items: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...items);
/** True with probability `p` (to the percent). */
const chance = (p: number): fc.Arbitrary<boolean> => fc.integer({ min: 0, max: 99 }).map((n) => n < p * 100);
/** `arbitrary` with probability `p`, null otherwise. */
const sometimes = <T>(p: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: Math.round(p * 100), arbitrary }, { weight: Math.round((1 - p) * 100), arbitrary: fc.constant(null) });

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
  'pg_sleep(10)--',
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
export function hostileValue(type: GraphQLInputType, depth = 0): fc.Arbitrary<Value> {
  const wrongShape = fc.oneof(
    { weight: 7, arbitrary: fc.constantFrom<Value>(null, 'SEN', 42, true, [], {}, { enumValue: 'NOT_A_VALUE' }) },
    { weight: 1, arbitrary: pick<Value>(HOSTILE_STRINGS) },
  );
  return fc.oneof({ weight: 12, arbitrary: wrongShape }, { weight: 88, arbitrary: rightShape(unwrap(type), depth) });
}

function rightShape(inner: GraphQLInputType, depth: number): fc.Arbitrary<Value> {
  if (inner instanceof GraphQLList) {
    const item = hostileValue(inner.ofType as GraphQLInputType, depth + 1);
    return pick([0, 1, 3, 50]).chain((length) => fc.array(item, { minLength: length, maxLength: length }));
  }
  if (inner instanceof GraphQLEnumType) {
    const values = inner.getValues().map((v) => v.name);
    const odd = ['DROP', 'null', 'REV_2024_OR_1', values[0].toLowerCase()];
    return fc
      .oneof({ weight: 6, arbitrary: pick(values) }, { weight: 4, arbitrary: pick(odd) })
      .map((enumValue) => ({ enumValue }));
  }
  if (inner instanceof GraphQLInputObjectType) {
    const fields = depth < 3 ? Object.values(inner.getFields()) : [];
    const entries = fields.map((field) => {
      const entry = hostileValue(field.type, depth + 1).map((value): [string, Value] => [field.name, value]);
      return field.type instanceof GraphQLNonNull ? entry : sometimes(0.7, entry);
    });
    return fc.tuple(fc.tuple(...entries), chance(0.1)).map(([present, unknown]) => ({
      ...Object.fromEntries(present.filter((e) => e !== null)),
      ...(unknown ? { unknownField: "' OR 1=1 --" } : {}),
    }));
  }
  const scalar = inner as GraphQLScalarType;
  if (scalar.name === 'Int' || scalar.name === 'Float') return pick<Value>(HOSTILE_INTS);
  if (scalar.name === 'Boolean') return fc.boolean();
  return pick<Value>(HOSTILE_STRINGS);
}

/** Writes a value as a GraphQL literal. JSON string escapes are valid GraphQL string escapes. */
export function literal(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if ('enumValue' in value && typeof value.enumValue === 'string')
    return /^[_A-Za-z][_0-9A-Za-z]*$/.test(value.enumValue) ? value.enumValue : '_';
  return `{${Object.entries(value)
    .map(([k, v]) => `${k}: ${literal(v)}`)
    .join(', ')}}`;
}

/** The same value as a JSON variable (enums travel as strings). */
function variableValue(value: Value): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(variableValue);
  if ('enumValue' in value && typeof value.enumValue === 'string') return value.enumValue;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, variableValue(v as Value)]));
}

/** A small selection of an output type: __typename and a few leaf fields that need no argument. */
function selection(field: GraphQLField<unknown, unknown>, depth = 0): fc.Arbitrary<string> {
  const type = getNamedType(field.type);
  if (isLeafType(type)) return fc.constant('');
  if (!isObjectType(type)) return fc.constant('{ __typename }');
  const picks = Object.values(type.getFields())
    .filter((f) => !f.args.some((a) => a.type instanceof GraphQLNonNull))
    .flatMap((f) => {
      if (isLeafType(getNamedType(f.type))) return [sometimes(0.5, fc.constant(f.name))];
      return depth < 2
        ? [
            sometimes(
              0.2,
              selection(f, depth + 1).map((inner) => `${f.name} ${inner}`),
            ),
          ]
        : [];
    });
  return fc.tuple(...picks).map((chosen) => `{ ${['__typename', ...chosen.filter((c) => c !== null)].join(' ')} }`);
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

function argsText(args: readonly GraphQLArgument[]): fc.Arbitrary<string> {
  const parts = args.map((a) => {
    const part = hostileValue(a.type).map((value) => `${a.name}: ${literal(value)}`);
    return a.type instanceof GraphQLNonNull ? part : sometimes(0.8, part);
  });
  return fc.tuple(...parts).map((chosen) => {
    const present = chosen.filter((p) => p !== null);
    return present.length > 0 ? `(${present.join(', ')})` : '';
  });
}

/** One operation on one field with hostile inline arguments. */
export function inlineOperation(field: GraphQLField<unknown, unknown>, underCountry: boolean): fc.Arbitrary<string> {
  return fc.tuple(argsText(field.args), selection(field)).map(([args, picked]) => {
    const call = `${field.name}${args} ${picked}`;
    return underCountry ? `{ country(code: "SEN") { code ${call} } }` : `{ ${call} }`;
  });
}

/** The same with every argument passed as a typed variable, with hostile (sometimes ill-typed) values. */
export function variableOperation(
  field: GraphQLField<unknown, unknown>,
): fc.Arbitrary<{ query: string; variables: Record<string, unknown> }> {
  const defs = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`);
  const uses = field.args.map((arg) => `${arg.name}: $${arg.name}`);
  const values = field.args.map((arg) =>
    sometimes(
      0.9,
      hostileValue(arg.type).map((value): [string, unknown] => [arg.name, variableValue(value)]),
    ),
  );
  const head = defs.length > 0 ? `query Fuzz(${defs.join(', ')})` : 'query Fuzz';
  return fc.tuple(fc.tuple(...values), selection(field)).map(([chosen, picked]) => ({
    query: `${head} { ${field.name}${uses.length > 0 ? `(${uses.join(', ')})` : ''} ${picked} }`,
    variables: Object.fromEntries(chosen.filter((v) => v !== null)),
  }));
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

/** The rest of an amplification chain from `type`: a list field wherever there is one (mostly). */
function chainFrom(type: GraphQLNamedType, level: number, depth: number): fc.Arbitrary<string[]> {
  if (level >= depth || !isObjectType(type)) return fc.constant([]);
  const next = Object.values(type.getFields()).filter(
    (f) => isObjectType(getNamedType(f.type)) && f.args.every((a) => !(a.type instanceof GraphQLNonNull)),
  );
  if (next.length === 0) return fc.constant([]);
  const lists = next.filter(isListField);
  const field =
    lists.length > 0 ? fc.oneof({ weight: 8, arbitrary: pick(lists) }, { weight: 2, arbitrary: pick(next) }) : pick(next);
  return field.chain((f) => chainFrom(getNamedType(f.type), level + 1, depth).map((rest) => [f.name, ...rest]));
}

/**
 * Amplification: a chain of object fields from a root field, taking a list wherever there is one,
 * up to `depth` levels (the shape of finding 1: every list multiplies the objects asked for).
 */
export function amplification(fields: RootField[], depth: number): fc.Arbitrary<string> {
  const roots = fields.filter(
    (f) =>
      isObjectType(getNamedType(f.field.type)) &&
      f.field.args.every((a) => !(a.type instanceof GraphQLNonNull) || a.name === 'code'),
  );
  if (roots.length === 0) return fc.constant('{ __typename }');
  return pick(roots).chain(({ field: root }) => {
    const head = root.args.some((a) => a.name === 'code')
      ? `${root.name}(code: ${getNamedType(root.type).name === 'Country' ? '"SEN"' : '"ICRMW"'})`
      : root.name;
    return chainFrom(getNamedType(root.type), 1, depth).map((rest) => {
      const chain = [head, ...rest];
      return `{ ${chain.join(' { ')} { __typename }${' }'.repeat(chain.length - 1)} }`;
    });
  });
}

/** Fragment fan-out (finding 2): each of `depth` fragments spreads the next `width` times. */
export function fragmentFanOut(depth: number, width: number, leaf: string): string {
  const fragments = Array.from({ length: depth }, (_, i) =>
    i === depth - 1
      ? `fragment F${i} on Query { ${leaf} }`
      : `fragment F${i} on Query { ${Array(width)
          .fill(`...F${i + 1}`)
          .join(' ')} }`,
  );
  return `query FanOut { ...F0 } ${fragments.join(' ')}`;
}

/**
 * Hostile requests for a target whose root fields are `fields`. Every kind of hostile input the
 * issue lists: arguments (inline and as variables), invalid JSON, wrong content types, huge
 * strings and lists, deep nesting, alias floods, unknown fields and operations, odd HTTP.
 */
export function hostileRequests(fields: RootField[], country: GraphQLField<unknown, unknown>[]): fc.Arbitrary<HostileRequest> {
  return pick(fields).chain(({ field }) => {
    const valid = JSON.stringify({ query: `{ __typename ${field.name === 'country' ? 'country(code: "SEN") { code }' : ''} }` });
    const inline = inlineOperation(field, false).map((query) => postJson('inline arguments', { query }));
    const onCountry =
      country.length > 0
        ? fc.oneof(
            inline,
            pick(country)
              .chain((f) => inlineOperation(f, true))
              .map((query) => postJson('inline arguments on Country', { query })),
          )
        : inline;
    const amplified = pick([3, 5, 8, 11])
      .chain((depth) => amplification(fields, depth))
      .map((query) => postJson('amplification', { query }));
    const fanOut = fc.tuple(chance(0.5), pick([3, 6, 9, 12, 20]), pick([2, 10, 50])).map(([typename, depth, width]) => {
      const leaf = typename ? '__typename' : `${field.name === 'country' ? 'country(code: "SEN") { code }' : '__typename'}`;
      return postJson('fragment fan-out', { query: fragmentFanOut(depth, width, leaf) });
    });
    const invalidJson = fc
      .oneof(
        { weight: 1, arbitrary: fc.nat({ max: valid.length - 1 }).map((n) => valid.slice(0, n)) },
        {
          weight: 10,
          arbitrary: pick([
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
          ]),
        },
      )
      .map((body): HostileRequest => ({ kind: 'invalid JSON', method: 'POST', path: '/graphql', headers: JSON_HEADERS, body }));
    const contentTypes = [
      'text/plain',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      'application/graphql',
      'application/json; charset=utf-7',
      'application/jsonx',
      '',
    ];
    const wrongContentType = fc.tuple(pick(contentTypes), fc.boolean()).map(([type, sendValid]): HostileRequest => ({
      kind: 'wrong content type',
      method: 'POST',
      path: '/graphql',
      headers: type ? { 'content-type': type } : {},
      body: sendValid ? valid : 'query=%7B__typename%7D',
    }));
    const hugeString = fc
      .tuple(pick([10_000, 100_000, 300_000]), pick(['x', "'", '\\u0000', 'é', '{']), fc.boolean())
      .map(([size, unit, inline]) => {
        const text = unit.repeat(size);
        return inline
          ? postJson('huge string', { query: `{ country(code: ${JSON.stringify(text)}) { code } }` })
          : postJson('huge string', {
              query: `query Q($code: ID!) { country(code: $code) { code } }`,
              variables: { code: text },
            });
      });
    const hugeList = fc
      .tuple(pick([1_000, 20_000]), fc.boolean())
      .chain(([length, asVariable]) =>
        fc.array(fc.boolean(), { minLength: length, maxLength: length }).map((odd) => ({ asVariable, odd })),
      )
      .map(({ asVariable, odd }) => {
        const list = odd.map((quoted, k) => (quoted ? `${k}' OR 1=1` : k));
        return asVariable
          ? postJson('huge list', {
              query: 'query Q($years: [Int!]) { worldStock(years: $years) { year } }',
              variables: { years: list },
            })
          : postJson('huge list', { query: `{ countries(filter: { codes: ${literal(list.map(String))} }) { totalCount } }` });
      });
    const deepNesting = fc.tuple(pick([50, 500, 5_000]), fc.nat({ max: 4 })).map(([depth, shape]): HostileRequest => {
      if (shape === 3) {
        // Written as text: JSON.stringify itself would overflow the stack on this.
        const variables = `{"x":${nested('{"a":', '}', depth, '1')}}`;
        const query = `query Q($x: ID!) { country(code: $x) { code } }`;
        return {
          kind: 'deep nesting',
          method: 'POST',
          path: '/graphql',
          headers: JSON_HEADERS,
          body: `{"query":${JSON.stringify(query)},"variables":${variables}}`,
        };
      }
      const shapes = [
        () => `{ ${nested('country(code: "SEN") { ', ' }', 1, nested('a { ', ' }', depth, 'b'))} }`,
        () => `{ ${nested('__schema { types { fields { type { ofType { ', ' } } } } }', Math.min(depth, 200), 'name')} }`,
        () => `{ country(code: ${nested('[', ']', depth, '"SEN"')}) { code } }`,
        () => '',
        () => nested('{', '}', depth, ''),
      ];
      return postJson('deep nesting', { query: shapes[shape]() });
    });
    const aliasFlood = fc.tuple(pick([200, 1_000, 3_000]), fc.boolean(), chance(0.3)).map(([count, typename, cycle]) => {
      const aliased = typename
        ? Array.from({ length: count }, (_, k) => `a${k}: __typename`)
        : Array.from(
            { length: Math.min(count, 300) },
            (_, k) => `a${k}: ${field.name === 'country' ? 'country(code: "SEN") { code }' : '__typename'}`,
          );
      const fragments = cycle ? ' fragment A on Query { ...B } fragment B on Query { ...A }' : '';
      return postJson('alias flood', { query: `{ ${aliased.join(' ')} }${fragments}` });
    });
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
      postJson('malformed payload', {
        query: '{ __typename }',
        extensions: { persistedQuery: { version: 1, sha256Hash: "' OR 1=1" } },
      }),
      postJson('malformed payload', { extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }),
      postJson('malformed payload', {
        query: '{ __typename }',
        __proto__: { polluted: true },
        constructor: { prototype: { x: 1 } },
      }),
      { kind: 'odd HTTP', method: 'GET', path: '/graphql?query=%7B__typename%7D', headers: {} },
      {
        kind: 'odd HTTP',
        method: 'GET',
        path: '/graphql?query=%E0%A4%A&variables=%ZZ',
        headers: { 'apollo-require-preflight': 'true' },
      },
      {
        kind: 'odd HTTP',
        method: 'GET',
        path: `/graphql?query=${encodeURIComponent(`{ ${field.name} }`)}`,
        headers: { 'apollo-require-preflight': 'true' },
      },
      {
        kind: 'odd HTTP',
        method: 'GET',
        path: '/graphql?query=mutation%7Bx%7D',
        headers: { 'apollo-require-preflight': 'true' },
      },
      { kind: 'odd HTTP', method: 'PUT', path: '/graphql', headers: JSON_HEADERS, body: valid },
      { kind: 'odd HTTP', method: 'DELETE', path: '/graphql', headers: {} },
      { kind: 'odd HTTP', method: 'PATCH', path: '/graphql', headers: JSON_HEADERS, body: valid },
      { kind: 'odd HTTP', method: 'POST', path: '/graphql/../../etc/passwd', headers: JSON_HEADERS, body: valid },
      { kind: 'odd HTTP', method: 'POST', path: '/%00', headers: JSON_HEADERS, body: valid },
      {
        kind: 'odd HTTP',
        method: 'POST',
        path: '/graphql',
        headers: { ...JSON_HEADERS, 'content-length': '999999999' },
        body: valid,
      },
      {
        kind: 'odd HTTP',
        method: 'POST',
        path: '/graphql',
        headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
        body: valid,
      },
    ];
    // The same mix of kinds as before: inline arguments and variables twice as often as the rest.
    return fc.oneof(
      { weight: 2, arbitrary: inline },
      { weight: 1, arbitrary: onCountry },
      { weight: 2, arbitrary: variableOperation(field).map((payload) => postJson('variables', payload)) },
      { weight: 1, arbitrary: invalidJson },
      { weight: 1, arbitrary: wrongContentType },
      { weight: 1, arbitrary: hugeString },
      { weight: 1, arbitrary: hugeList },
      { weight: 1, arbitrary: deepNesting },
      { weight: 1, arbitrary: aliasFlood },
      { weight: 1, arbitrary: pick(odd) },
      { weight: 1, arbitrary: amplified },
      { weight: 1, arbitrary: fanOut },
    );
  });
}
