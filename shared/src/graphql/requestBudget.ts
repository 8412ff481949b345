import {
  defaultFieldResolver,
  getNamedType,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  isCompositeType,
  isObjectType,
} from 'graphql';
import { graphError } from './errors';
import type { ListBounds } from './listBounds';
import { askedSize, pageSizeProblem } from './pagination';

/**
 * The most objects one request may make a service build, whatever the gateway estimated: a query
 * the cost analysis under-counts still costs a bounded amount. The gateway accepts at most 200,000
 * values per operation by default, and objects are a fraction of the values (each has at least one
 * scalar), so an honest request stays below this.
 */
export const DEFAULT_REQUEST_OBJECT_BUDGET = 100_000;

interface Budget {
  remaining: number;
  max: number;
  signal: { readonly aborted: boolean } | null;
}

/**
 * Kept on the context under a symbol: Apollo Server runs each operation on a shallow copy of the
 * context, which carries symbol-keyed properties (and so the same budget) along.
 */
const BUDGET = Symbol('requestBudget');
type Budgeted = { [BUDGET]?: Budget };

/** Budgets of contexts that were never bound, per (copied) context. */
const UNBOUND = new WeakMap<object, Budget>();

/**
 * Ties a request's context to its budget and to the signal that says its caller went away (a
 * client disconnect, or the gateway giving up on the call). Contexts never bound (tests calling
 * executeOperation) get the default budget and no signal on first use.
 */
export function bindRequest(context: object, opts: { signal?: { readonly aborted: boolean }; maxObjects?: number } = {}): void {
  const max = opts.maxObjects ?? DEFAULT_REQUEST_OBJECT_BUDGET;
  (context as Budgeted)[BUDGET] = { remaining: max, max, signal: opts.signal ?? null };
}

function budgetOf(context: unknown): Budget | null {
  if (context === null || typeof context !== 'object') return null;
  const bound = (context as Budgeted)[BUDGET];
  if (bound) return bound;
  let budget = UNBOUND.get(context);
  if (!budget) {
    budget = { remaining: DEFAULT_REQUEST_OBJECT_BUDGET, max: DEFAULT_REQUEST_OBJECT_BUDGET, signal: null };
    UNBOUND.set(context, budget);
  }
  return budget;
}

function abandoned(): GraphQLError {
  return graphError('REQUEST_ABANDONED', 'The request was abandoned by its caller: its work was stopped');
}

function overBudget(max: number): GraphQLError {
  return graphError(
    'REQUEST_BUDGET_EXCEEDED',
    `The request needs more than ${max} objects from this service; ask for smaller pages or fewer nested lists`,
  );
}

function overBound(coordinate: string, length: number, bound: number): GraphQLError {
  return graphError(
    'LIST_BOUND_EXCEEDED',
    `${coordinate} has ${length} items, more than the ${bound} its schema declares; use the paginated field instead`,
  );
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Wraps the resolver of every field that returns objects, or a list with a declared `@listSize`
 * bound: before it runs, the request must still be wanted and a size argument within the field's
 * declared cap; after, a list sized by an argument is cut to the size asked, the objects it returned are
 * taken from the request's budget, and a list longer than its declared `assumedSize` is an error
 * (the gateway's cost estimate relies on that bound). Scalar fields are left alone: wrapping them
 * would tax every value of a large answer.
 */
export function guardResolvers(schema: GraphQLSchema, bounds: ListBounds): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const declared = bounds.get(coordinate);
      const bound = declared?.assumedSize;
      const sized = declared?.slicingArguments !== undefined;
      const composite = isCompositeType(getNamedType(field.type));
      if (!composite && bound === undefined) continue;
      const original: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      const account = (resolved: unknown, budget: Budget | null, size: number | null): unknown => {
        if (resolved instanceof Error) return resolved;
        // A nested list sized by `first` is the start of the list its resolver gave (loaders fetch a parent's list whole).
        const value = size !== null && Array.isArray(resolved) && resolved.length > size ? resolved.slice(0, size) : resolved;
        const count = Array.isArray(value) ? value.length : value == null ? 0 : 1;
        if (bound !== undefined && Array.isArray(value) && value.length > bound) throw overBound(coordinate, value.length, bound);
        if (budget && composite) {
          budget.remaining -= count;
          if (budget.remaining < 0) throw overBudget(budget.max);
        }
        return value;
      };
      // Refusals are always rejected promises, never synchronous throws: graphql-js stops completing a
      // list or object at a synchronous error and leaves the promises of earlier siblings unhandled,
      // and an unhandled rejection would end the process.
      field.resolve = (source, args, context, info) => {
        const budget = budgetOf(context);
        if (budget?.signal?.aborted) return Promise.reject(abandoned());
        if (budget && budget.remaining < 0) return Promise.reject(overBudget(budget.max));
        const tooLarge = sized ? pageSizeProblem(coordinate, declared, args) : null;
        if (tooLarge) return Promise.reject(tooLarge);
        const size = sized ? askedSize(declared, args) : null;
        const result = original(source, args, context, info);
        if (isPromiseLike(result)) return Promise.resolve(result).then((value) => account(value, budget, size));
        try {
          return account(result, budget, size);
        } catch (error) {
          return Promise.reject(error);
        }
      };
    }
  }
  return schema;
}
