type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const MAX_CAUSES = 6;
const MAX_PART = 500;

// By shape, not instanceof: errors from Node's internals (fetch, sockets) or a test's VM context
// come from another realm, and a subgraph's error arrives as a plain parsed object.
function isErrorLike(value: unknown): value is { message: string } & Record<string, unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

function describeOne(error: unknown): string {
  if (!isErrorLike(error)) {
    if (typeof error === 'object' && error !== null) return (JSON.stringify(error) ?? String(error)).slice(0, MAX_PART);
    return String(error).slice(0, MAX_PART);
  }
  const name = typeof error.name === 'string' && !['Error', 'GraphQLError'].includes(error.name) ? `${error.name}: ` : '';
  const code = typeof error.code === 'string' ? ` (${error.code})` : '';
  const extensions = error.extensions as { code?: unknown } | undefined;
  const graphqlCode = typeof extensions?.code === 'string' ? ` [${extensions.code}]` : '';
  const inner = Array.isArray(error.errors) ? ` {${error.errors.slice(0, 3).map(describeOne).join('; ')}}` : '';
  return `${name}${error.message.slice(0, MAX_PART)}${code}${graphqlCode}${inner}`;
}

function causeOf(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  const { originalError, thrownValue, cause, driverError } = error as {
    originalError?: unknown;
    thrownValue?: unknown;
    cause?: unknown;
    driverError?: unknown;
  };
  const distinctDriverError =
    driverError !== undefined && (driverError as { message?: unknown }).message !== (error as { message?: unknown }).message;
  return originalError ?? thrownValue ?? cause ?? (distinctDriverError ? driverError : undefined);
}

/**
 * One line about an error and what caused it, outermost first: "fetch failed <- connect
 * ECONNREFUSED 127.0.0.1:4001 (ECONNREFUSED)". Follows GraphQL's originalError and thrownValue, the
 * standard cause and TypeORM's driverError; an AggregateError lists its first errors in braces.
 */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (let current = error; current != null && parts.length < MAX_CAUSES && !seen.has(current); current = causeOf(current)) {
    seen.add(current);
    parts.push(describeOne(current));
  }
  return parts.join(' <- ');
}

// JSON.stringify writes an Error as {}: a field holding one is written as its description instead.
const errorsAsText = (_key: string, value: unknown) =>
  Object.prototype.toString.call(value) === '[object Error]' ? describeError(value) : value;

/** One line per event, prefixed with the process's name, so the five processes read apart. */
export function createLogger(prefix: string, level: Level): Logger {
  const emit = (at: Level, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return;
    const extra = fields && Object.keys(fields).length > 0 ? ' ' + JSON.stringify(fields, errorsAsText) : '';
    const line = `[${prefix}] ${at === 'info' ? '' : at.toUpperCase() + ' '}${message}${extra}\n`;
    (at === 'error' || at === 'warn' ? process.stderr : process.stdout).write(line);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
