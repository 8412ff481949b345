import {
  type ArgumentNode,
  type DirectiveNode,
  type FieldNode,
  getNamedType,
  type GraphQLSchema,
  isObjectType,
  Kind,
  parse,
  print,
  type SelectionNode,
  type VariableDefinitionNode,
} from 'graphql';
import { ERROR_CODES, type ErrorCode, isPublicErrorCode } from '../../../shared/src/graphql/errors';
import { applyKeep, type Json, type Report } from './definitions';

/** One GraphQL request through the gateway's own pipeline (auth, limits, plans), as the caller. */
export type Execute = (query: string, variables: Record<string, unknown>) => Promise<{ status: number; body: GraphQLBody }>;

export interface GraphQLBody {
  data?: Json;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: unknown } }[];
  extensions?: { valueCompletion?: { message: string; path?: (string | number)[] }[] };
}

/** A report that could not be made: the status and the errors (message and code) the download answers with. */
export class ReportFailure extends Error {
  constructor(
    readonly status: number,
    readonly errors: { message: string; extensions: { code: string } }[],
  ) {
    super(errors.map((e) => `${e.extensions.code}: ${e.message}`).join('\n'));
  }
}

/** The most requests one download makes while it pages through its lists. */
export const MAX_PAGES = 20;

const PAGE_INFO = 'reportPageInfo';
const pageVariable = (i: number) => `reportPage${i}`;
const afterVariable = (i: number) => `reportAfter${i}`;
const REST = 'reportRest';

interface Paged {
  key: string;
  edges: string;
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const variable = (value: string) => ({ kind: Kind.VARIABLE, name: name(value) }) as const;
const include = (v: string): DirectiveNode => ({
  kind: Kind.DIRECTIVE,
  name: name('include'),
  arguments: [{ kind: Kind.ARGUMENT, name: name('if'), value: variable(v) }],
});

/**
 * The report's document made to page through its root lists: each root connection that takes
 * `first` and `after` also asks for its page info, with its cursor in a variable and an @include
 * that leaves it out once it is complete; every other root field is asked on the first page only.
 */
export function pagedDocument(report: Report, schema: GraphQLSchema): { query: string; paged: Paged[]; usesRest: boolean } {
  const query = schema.getQueryType();
  const document = parse(report.document);
  const paged: Paged[] = [];
  const definitions: VariableDefinitionNode[] = [];
  let usesRest = false;
  const selections: SelectionNode[] = report.operation.selectionSet.selections.map((selection) => {
    if (selection.kind !== Kind.FIELD) return selection;
    const field = query?.getFields()[selection.name.value];
    const conditional = (selection.directives ?? []).some((d) => d.name.value === 'include' || d.name.value === 'skip');
    const after = field?.args.find((a) => a.name === 'after');
    const edges = selection.selectionSet?.selections.find(
      (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === 'edges',
    );
    const named = field ? getNamedType(field.type) : undefined;
    const connection = isObjectType(named) && 'pageInfo' in named.getFields();
    const takesFirst = selection.arguments?.some((a) => a.name.value === 'first');
    const givesAfter = selection.arguments?.some((a) => a.name.value === 'after');
    if (!connection || !after || !edges || !takesFirst || givesAfter || conditional || !selection.selectionSet) {
      if (conditional) return selection;
      usesRest = true;
      return { ...selection, directives: [...(selection.directives ?? []), include(REST)] };
    }
    const i = paged.length;
    paged.push({ key: selection.alias?.value ?? selection.name.value, edges: edges.alias?.value ?? 'edges' });
    definitions.push(
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: variable(afterVariable(i)),
        type: { kind: Kind.NAMED_TYPE, name: name(getNamedType(after.type).name) },
      },
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: variable(pageVariable(i)),
        type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: name('Boolean') } },
      },
    );
    const argument: ArgumentNode = { kind: Kind.ARGUMENT, name: name('after'), value: variable(afterVariable(i)) };
    const pageInfo: FieldNode = {
      kind: Kind.FIELD,
      alias: name(PAGE_INFO),
      name: name('pageInfo'),
      selectionSet: {
        kind: Kind.SELECTION_SET,
        selections: ['hasNextPage', 'endCursor'].map((f) => ({ kind: Kind.FIELD, name: name(f) }) as FieldNode),
      },
    };
    return {
      ...selection,
      arguments: [...(selection.arguments ?? []), argument],
      directives: [...(selection.directives ?? []), include(pageVariable(i))],
      selectionSet: { ...selection.selectionSet, selections: [...selection.selectionSet.selections, pageInfo] },
    };
  });
  // GraphQL refuses a variable that is declared and not used.
  if (usesRest) {
    definitions.push({
      kind: Kind.VARIABLE_DEFINITION,
      variable: variable(REST),
      type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: name('Boolean') } },
    });
  }
  const operation = {
    ...report.operation,
    variableDefinitions: [...(report.operation.variableDefinitions ?? []), ...definitions],
    selectionSet: { ...report.operation.selectionSet, selections },
  };
  const definitionsOut = document.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? operation : d));
  return { query: print({ ...document, definitions: definitionsOut }), paged, usesRest };
}

function failure(body: GraphQLBody, status: number): ReportFailure {
  const errors = (body.errors ?? []).map((e) => {
    const code = typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR';
    return { message: e.message, extensions: { code } };
  });
  const code = errors[0]?.extensions.code ?? 'INTERNAL_SERVER_ERROR';
  const fromCode =
    isPublicErrorCode(code) || code === 'INTERNAL_SERVER_ERROR' ? ERROR_CODES[code as ErrorCode].status : undefined;
  // A field error comes back with HTTP 200: the download answers with the status its code stands for.
  return new ReportFailure(fromCode !== undefined && fromCode >= 400 ? fromCode : status >= 400 ? status : 500, errors);
}

type JsonObject = { [key: string]: Json };
const isObject = (v: Json | undefined): v is JsonObject =>
  v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);

/** Lists of the answer that are shorter than their totalCount, or say they have a next page: the answer is not whole. */
export function truncatedLists(data: Json, path: string[] = []): string[] {
  if (Array.isArray(data)) return data.flatMap((item) => truncatedLists(item, path));
  if (!isObject(data)) return [];
  const own: string[] = [];
  const edges = Object.values(data).find((v): v is Json[] => Array.isArray(v));
  const total = data.totalCount;
  const pageInfo = Object.values(data).find((v) => isObject(v) && v.hasNextPage === true);
  if (edges && ((typeof total === 'number' && total > edges.length) || pageInfo)) {
    own.push(`${path.join('.')} (${edges.length}${typeof total === 'number' ? ` of ${total}` : ''})`);
  }
  return [...own, ...Object.entries(data).flatMap(([k, v]) => truncatedLists(v, [...path, k]))];
}

export interface ReportAnswer {
  /** The answer with its root lists whole and the report's keep rules applied. */
  data: Json;
  /** Lists still shorter than their total (nested ones, which are not paged): the answer says so. */
  incomplete: string[];
  /** How many requests it took. */
  pages: number;
}

/**
 * Runs a report through the gateway: its root connections are paged through (following
 * `pageInfo.endCursor`) until whole, at most MAX_PAGES requests; any GraphQL error, or a value the
 * gateway had to blank (`valueCompletion`), fails the whole report.
 */
export async function runReport(
  report: Report,
  schema: GraphQLSchema,
  variables: Record<string, unknown>,
  execute: Execute,
): Promise<ReportAnswer> {
  const { query, paged, usesRest } = pagedDocument(report, schema);
  let merged: JsonObject | undefined;
  let pending = paged.map((_, i) => i);
  const cursors = new Map<number, Json>();
  let pages = 0;
  do {
    if (pages === MAX_PAGES) {
      throw new ReportFailure(400, [
        {
          message: `The report "${report.name}" needs more than ${MAX_PAGES} pages of ${pending.map((i) => paged[i].key).join(', ')}: narrow it with its variables`,
          extensions: { code: 'REQUEST_BUDGET_EXCEEDED' },
        },
      ]);
    }
    const first = pages === 0;
    const pageVariables: Record<string, unknown> = { ...variables, ...(usesRest ? { [REST]: first } : {}) };
    paged.forEach((_, i) => {
      pageVariables[pageVariable(i)] = pending.includes(i);
      pageVariables[afterVariable(i)] = cursors.get(i) ?? null;
    });
    const { status, body } = await execute(query, pageVariables);
    pages += 1;
    if (body.errors && body.errors.length > 0) throw failure(body, status);
    // The gateway blanks a value a service failed to complete and says so only here, without an
    // error: a report built from that answer would be silently short.
    const blanked = body.extensions?.valueCompletion ?? [];
    if (blanked.length > 0) {
      throw new ReportFailure(
        502,
        blanked.map((v) => ({
          message: `The answer is incomplete: ${v.message}${v.path?.length ? ` (at ${v.path.join('.')})` : ''}`,
          extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' },
        })),
      );
    }
    if (!isObject(body.data)) throw failure({ errors: [{ message: 'The gateway answered without data' }] }, status);
    const page = body.data;
    if (!merged) merged = page;
    const next: number[] = [];
    for (const i of pending) {
      const { key, edges } = paged[i];
      const connection = page[key];
      if (!isObject(connection)) continue;
      const target = merged[key];
      if (!first && isObject(target) && Array.isArray(target[edges]) && Array.isArray(connection[edges])) {
        target[edges] = [...target[edges], ...connection[edges]];
      }
      const info = connection[PAGE_INFO];
      if (isObject(info) && info.hasNextPage === true && typeof info.endCursor === 'string') {
        cursors.set(i, info.endCursor);
        next.push(i);
      }
    }
    pending = next;
  } while (pending.length > 0);
  for (const { key } of paged) {
    const connection = merged[key];
    if (isObject(connection)) merged[key] = Object.fromEntries(Object.entries(connection).filter(([k]) => k !== PAGE_INFO));
  }
  // Before the keep rules, which shorten lists on purpose.
  const incomplete = truncatedLists(merged);
  return { data: applyKeep(merged, report.keep), incomplete, pages };
}
