import { type DocumentNode, Kind, parse, valueFromASTUntyped } from 'graphql';

/**
 * The worst-case size of a list field, as the schema declares it with Federation's
 * `@listSize(assumedSize, slicingArguments, sizedFields)` (demand-control spec, cost/v0.1).
 */
export interface ListBound {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

/** Declared list bounds by schema coordinate (`Type.field`). */
export type ListBounds = ReadonlyMap<string, ListBound>;

/** How the supergraph names the directive: imported as @listSize, or by its namespaced name. */
const LIST_SIZE_NAMES = new Set(['listSize', 'cost__listSize']);

/** Reads every `@listSize` of a supergraph (or any SDL) into a map by `Type.field`. */
export function listBounds(sdl: string | DocumentNode): ListBounds {
  const document = typeof sdl === 'string' ? parse(sdl) : sdl;
  const bounds = new Map<string, ListBound>();
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      continue;
    }
    for (const field of definition.fields ?? []) {
      const directive = field.directives?.find((d) => LIST_SIZE_NAMES.has(d.name.value));
      if (!directive) continue;
      const bound: ListBound = {};
      for (const arg of directive.arguments ?? []) {
        const value: unknown = valueFromASTUntyped(arg.value);
        if (arg.name.value === 'assumedSize' && typeof value === 'number') bound.assumedSize = value;
        if (arg.name.value === 'slicingArguments' && Array.isArray(value)) bound.slicingArguments = value.map(String);
        if (arg.name.value === 'sizedFields' && Array.isArray(value)) bound.sizedFields = value.map(String);
      }
      bounds.set(`${definition.name.value}.${field.name.value}`, bound);
    }
  }
  return bounds;
}
