import fs from 'node:fs';
import path from 'node:path';
import type { SupergraphManager } from '@apollo/gateway';
import { buildSchema, isEnumType, Kind } from 'graphql';
import { describeError, type Logger } from '../../shared/src/runtime/logger';

/**
 * Fails with a clear message when the supergraph file is not a valid supergraph: the SDL must build
 * into a valid schema with graphql-js (every directive it uses is declared in it), link the join
 * specification, and name at least one subgraph, each with its URL. Synchronous and quick, unlike
 * composition's satisfiability check; the gateway checks the rest in load().
 */
export function validateSupergraph(sdl: string): void {
  try {
    const schema = buildSchema(sdl);
    const links = schema.astNode?.directives?.filter((d) => d.name.value === 'link') ?? [];
    const linksJoin = links.some((d) =>
      d.arguments?.some((a) => a.name.value === 'url' && a.value.kind === Kind.STRING && a.value.value.startsWith(JOIN_SPEC)),
    );
    if (!linksJoin) throw new Error(`the schema does not @link the join specification (${JOIN_SPEC})`);
    const graphs = schema.getType('join__Graph');
    if (!isEnumType(graphs) || graphs.getValues().length === 0)
      throw new Error('it names no subgraph (join__Graph has no value)');
    for (const graph of graphs.getValues()) {
      const join = graph.astNode?.directives?.find((d) => d.name.value === 'join__graph');
      const url = join?.arguments?.find((a) => a.name.value === 'url');
      if (url?.value.kind !== Kind.STRING || url.value.value === '') throw new Error(`subgraph ${graph.name} has no URL`);
    }
  } catch (error) {
    throw new Error(`the supergraph is invalid: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

const JOIN_SPEC = 'https://specs.apollo.dev/join/';

/** The supergraph the gateway serves, and the way to swap it while it runs. */
export interface SupergraphSource {
  /** What ApolloGateway is given as its supergraphSdl. */
  manager: SupergraphManager;
  /** The SDL being served. */
  current(): string;
  /** True once the gateway has loaded a supergraph. */
  loaded(): boolean;
  /**
   * Validates `sdl` and swaps it in: requests already executing finish with the query plan they
   * have, later ones are planned on the new graph. An invalid SDL is refused (the error says why)
   * and the current one keeps serving.
   */
  replace(sdl: string): { ok: true; changed: boolean } | { ok: false; error: string };
}

export function supergraphSource(initial: string): SupergraphSource {
  validateSupergraph(initial);
  let current = initial;
  let update: ((sdl: string) => void) | null = null;
  return {
    manager: {
      initialize: async ({ update: gatewayUpdate }) => {
        update = gatewayUpdate;
        return {
          supergraphSdl: current,
          cleanup: async () => {
            update = null;
          },
        };
      },
    },
    current: () => current,
    loaded: () => update !== null,
    replace: (sdl) => {
      if (sdl === current) return { ok: true, changed: false };
      try {
        validateSupergraph(sdl);
        if (!update) throw new Error('the gateway is not running');
        // Builds the new schema and query planner before touching the old ones: a failure leaves them in place.
        update(sdl);
      } catch (error) {
        return { ok: false, error: describeError(error) };
      }
      current = sdl;
      return { ok: true, changed: true };
    },
  };
}

const DEBOUNCE_MS = 200;

/**
 * Reloads the supergraph from `file` when it changes (a write, a rename over it, a Kubernetes
 * ConfigMap's symlink swap: the folder is watched) and on SIGHUP, after changes settle for
 * `debounceMs`. Each attempt is logged; a file that cannot be read or is invalid is refused and the
 * served supergraph stays. Returns a function that stops watching.
 */
export function watchSupergraph(
  file: string,
  source: SupergraphSource,
  log: Logger,
  options: { debounceMs?: number; signal?: NodeJS.Signals | null; watchFile?: boolean } = {},
): () => void {
  const debounceMs = options.debounceMs ?? DEBOUNCE_MS;
  const signal = options.signal === undefined ? 'SIGHUP' : options.signal;
  let timer: NodeJS.Timeout | undefined;
  const reload = (reason: string) => {
    let sdl: string;
    try {
      sdl = fs.readFileSync(file, 'utf8');
    } catch (error) {
      log.error('supergraph reload refused: the file cannot be read; the current supergraph keeps serving', {
        reason,
        file,
        error: describeError(error),
      });
      return;
    }
    const result = source.replace(sdl);
    if (!result.ok) {
      log.error('supergraph reload refused; the current supergraph keeps serving', { reason, file, error: result.error });
    } else if (result.changed) {
      log.info('supergraph reloaded', { reason, file });
    }
  };
  const schedule = (reason: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => reload(reason), debounceMs);
  };
  const name = path.basename(file);
  const watcher =
    options.watchFile === false
      ? null
      : fs.watch(path.dirname(file), (_event, changed) => {
          // A ConfigMap swaps a `..data` link rather than the file itself; any other file is ignored.
          if (changed === null || changed === name || changed.startsWith('..')) schedule('file changed');
        });
  watcher?.on('error', (error) => log.error('supergraph watch failed', { file, error: describeError(error) }));
  const onSignal = () => schedule(signal ?? 'signal');
  if (signal) process.on(signal, onSignal);
  return () => {
    clearTimeout(timer);
    watcher?.close();
    if (signal) process.off(signal, onSignal);
  };
}
