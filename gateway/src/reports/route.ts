import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from '../../../shared/src/runtime/http';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { ERROR_CODES } from '../../../shared/src/graphql/errors';
import { loadReport, type Report, ReportError, reportNames, reportVariables, RESERVED_PARAMETERS } from './definitions';
import { CONTENT_TYPES, DATE_FORMS, type DateForm, type Format, FORMATS, tableCsv, tableRecords, tablesXlsx } from './formats';
import { type Execute, ReportFailure, runReport } from './run';
import { ReportTables } from './tables';

/**
 * The named reports as downloads, for analysts without Node or GraphQL:
 *
 *   GET /reports                               the reports, their variables (type, default) and tables, as JSON
 *   GET /reports/<name>.csv?<variable>=<value> one table as CSV (`table=`, `sep=semicolon`, `dates=text`)
 *   GET /reports/<name>.xlsx?...               every table, one sheet each (or only `table=`)
 *   GET /reports/<name>.json?...               the answer as JSON (or one table's records with `table=`)
 *
 * Each report runs as a GraphQL request through the gateway's own pipeline, with the caller's
 * Authorization header: the same token checks, limits and errors as a query. An error answers with
 * the status its code stands for and a GraphQL-shaped JSON body; nothing partial is ever sent.
 */

export interface ReportsRouteOptions {
  /** The folder of the report files (`operations/`), read on each request so that new reports show at once. */
  operationsDir: string;
  /** The supergraph served now: what the reports' fields are (lists, connections, dates). */
  supergraphSdl: () => string;
  /** Runs one request through the gateway as the caller of `req`. */
  execute: (req: IncomingMessage) => Execute;
}

const PREFIX = '/reports';
const DOWNLOAD = /^\/reports\/([^/]+)\.([a-z]+)$/;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2) + '\n';
  res.writeHead(status, {
    'content-type': CONTENT_TYPES.json,
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'private, no-store',
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: ReportError | ReportFailure): void {
  if (error instanceof ReportFailure) sendJson(res, error.status, { errors: error.errors });
  else sendJson(res, ERROR_CODES[error.code].status, { errors: [{ message: error.message, extensions: { code: error.code } }] });
}

/** The supergraph's schema, built again only when the supergraph changes. */
function schemaCache(sdl: () => string): () => GraphQLSchema {
  let built: { sdl: string; schema: GraphQLSchema } | undefined;
  return () => {
    const current = sdl();
    if (built?.sdl !== current) built = { sdl: current, schema: buildSchema(current) };
    return built.schema;
  };
}

function listing(report: Report, tables: ReportTables) {
  const base = `${PREFIX}/${report.name}`;
  return {
    name: report.name,
    description: report.description,
    variables: report.variables,
    tables: tables.names,
    downloads: Object.fromEntries(FORMATS.map((f) => [f, `${base}.${f}`])),
  };
}

/** What the query string asks besides the variables. */
interface Options {
  sep: ',' | ';';
  table?: string;
  dates: DateForm;
}

function readQuery(report: Report, search: URLSearchParams): { variables: Record<string, unknown>; options: Options } {
  const values: [string, string][] = [];
  const options: Options = { sep: ',', dates: 'iso' };
  for (const [key, value] of search) {
    if (key === 'sep') {
      if (value !== 'semicolon' && value !== 'comma') {
        throw new ReportError(`sep must be semicolon or comma, not "${value.slice(0, 100)}"`);
      }
      options.sep = value === 'semicolon' ? ';' : ',';
    } else if (key === 'dates') {
      const form = DATE_FORMS.find((f) => f === value);
      if (!form) throw new ReportError(`dates must be text or iso, not "${value.slice(0, 100)}"`);
      options.dates = form;
    } else if (key === 'table') options.table = value;
    else values.push([key, value]);
  }
  return { variables: reportVariables(report, values), options };
}

const filename = (name: string) => `attachment; filename="${name}"`;

export function createReportsRoute(opts: ReportsRouteOptions): Handler {
  const schema = schemaCache(opts.supergraphSdl);
  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== PREFIX && url.pathname !== `${PREFIX}/` && !url.pathname.startsWith(`${PREFIX}/`)) {
      next();
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' });
      res.end();
      return;
    }
    void (async () => {
      try {
        if (url.pathname === PREFIX || url.pathname === `${PREFIX}/`) {
          const reports = reportNames(opts.operationsDir).map((name) => {
            const report = loadReport(name, opts.operationsDir);
            return listing(report, new ReportTables(report, schema()));
          });
          sendJson(res, 200, {
            reports,
            parameters: {
              variables: 'each variable by name; a list takes comma-separated values',
              [RESERVED_PARAMETERS[0]]: 'semicolon for a CSV separated by ";" (Excel in French and other comma-decimal locales)',
              [RESERVED_PARAMETERS[1]]: 'one table by name: CSV gives the first table without it, xlsx every table',
              [RESERVED_PARAMETERS[2]]:
                'text for CSV dates written ="2017-08", which Excel and LibreOffice keep as text (iso by default)',
            },
          });
          return;
        }
        const match = DOWNLOAD.exec(url.pathname);
        const format = match && (FORMATS as readonly string[]).includes(match[2]) ? (match[2] as Format) : undefined;
        if (!match || !format) {
          throw new ReportError(
            `No such download: a report is at ${PREFIX}/<name>.csv, .json or .xlsx (${PREFIX} lists them)`,
            'NOT_FOUND',
          );
        }
        const report = loadReport(decodeURIComponent(match[1]), opts.operationsDir);
        const { variables, options } = readQuery(report, url.searchParams);
        const tables = new ReportTables(report, schema());
        if (options.table !== undefined && !tables.names.includes(options.table)) {
          throw new ReportError(
            `The report "${report.name}" has no table "${options.table.slice(0, 100)}" (its tables: ${tables.names.join(', ')})`,
          );
        }
        const answer = await runReport(report, schema(), variables, opts.execute(req));
        const incomplete = [...answer.incomplete, ...tables.cutLists(answer.data, variables)];
        const headers: Record<string, string> = {
          'cache-control': 'private, no-store',
          'x-report-tables': tables.names.join(', '),
          ...(incomplete.length > 0 ? { 'x-report-incomplete': incomplete.join('; ') } : {}),
        };
        const all = tables.tables(answer.data);
        const chosen = options.table === undefined ? undefined : all[tables.names.indexOf(options.table)];
        const stem = chosen ? `${report.name}-${chosen.name}` : report.name;
        let body: Buffer;
        if (format === 'json') {
          body = Buffer.from(JSON.stringify(chosen ? tableRecords(chosen) : answer.data, null, 2) + '\n');
        } else if (format === 'csv') body = Buffer.from(tableCsv(chosen ?? all[0], options.sep, options.dates));
        else body = await tablesXlsx(chosen ? [chosen] : all);
        res.writeHead(200, {
          ...headers,
          'content-type': CONTENT_TYPES[format],
          'content-disposition': filename(`${stem}.${format}`),
          'content-length': String(body.length),
        });
        res.end(body);
      } catch (error) {
        if (error instanceof ReportError || error instanceof ReportFailure) sendError(res, error);
        else next(error);
      }
    })();
  };
}
