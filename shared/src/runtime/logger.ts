import pino from 'pino';
import { currentRequest } from './requestContext';

export type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';

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

// A field holding an error is written as its description and causes, not as {} (JSON.stringify) or
// as its stack (pino).
const isError = (value: unknown) => Object.prototype.toString.call(value) === '[object Error]';
const errorsAsText = (_key: string, value: unknown) => (isError(value) ? describeError(value) : value);

function withErrorsDescribed(fields: Record<string, unknown>): Record<string, unknown> {
  if (!Object.values(fields).some(isError)) return fields;
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, isError(value) ? describeError(value) : value]));
}

/** Where log lines go: stdout unless a test collects them. */
export interface LogDestination {
  write(line: string): void;
}

/**
 * json: one JSON object per line, for log collectors; pretty: pino-pretty's coloured lines, for a
 * terminal; text: one plain line per event, "[name] LEVEL message {fields}", for the command-line
 * tools (npm start, import, migrate...), whose output people read.
 */
export type LogFormat = 'json' | 'pretty' | 'text';

export interface LoggerOptions {
  /** text by default. */
  format?: LogFormat;
  /** Where lines are written (stdout, and stderr for warnings and errors in text, by default). */
  destination?: LogDestination;
}

/** pino-pretty is a development dependency: where it is missing (a production image), lines stay JSON. */
function prettyStream(): LogDestination | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (options: Record<string, unknown>) => LogDestination;
    return pretty({ sync: true, colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' });
  } catch {
    return null;
  }
}

const requestIdField = (): Record<string, string> => {
  const request = currentRequest();
  return request ? { requestId: request.id } : {};
};

function pinoLogger(name: string, level: Level, destination: LogDestination): Logger {
  const logger = pino(
    {
      name,
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Every line written while a request is served carries its id.
      mixin: requestIdField,
    },
    destination as pino.DestinationStream,
  );
  const emit = (at: Exclude<Level, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
    if (fields) logger[at](withErrorsDescribed(fields), message);
    else logger[at](message);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function textLogger(name: string, level: Level, destination?: LogDestination): Logger {
  const emit = (at: Exclude<Level, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return;
    const all = { ...requestIdField(), ...fields };
    const extra = Object.keys(all).length > 0 ? ' ' + JSON.stringify(all, errorsAsText) : '';
    const line = `[${name}] ${at === 'info' ? '' : at.toUpperCase() + ' '}${message}${extra}\n`;
    (destination ?? (at === 'error' || at === 'warn' ? process.stderr : process.stdout)).write(line);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/**
 * A logger named after its process. In json (and pretty) format it is pino: time, level, name, msg,
 * the id of the request being served when there is one, then the fields. Writes are synchronous, so
 * a line logged just before the process exits is not lost.
 */
export function createLogger(name: string, level: Level, options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'text';
  if (format === 'text') return textLogger(name, level, options.destination);
  const destination =
    options.destination ?? (format === 'pretty' ? prettyStream() : null) ?? pino.destination({ fd: 1, sync: true });
  return pinoLogger(name, level, destination);
}

/**
 * The logger as Apollo Server and Apollo Gateway call it: with a message that may be anything (an
 * error, an object), written as text with its causes rather than as "[object Object]".
 */
export function apolloLogger(log: Logger): Record<'debug' | 'info' | 'warn' | 'error', (message?: unknown) => void> {
  const text = (message: unknown) => (typeof message === 'string' ? message : describeError(message));
  return {
    debug: (m) => log.debug(text(m)),
    info: (m) => log.info(text(m)),
    warn: (m) => log.warn(text(m)),
    error: (m) => log.error(text(m)),
  };
}
