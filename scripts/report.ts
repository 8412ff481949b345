/**
 * Downloads a named report (an operation of `operations/`) from the gateway's /reports, for analysts
 * who don't write GraphQL; the gateway runs it (gateway/src/reports/):
 *
 *   npm run report -- <name> [--var key=value ...] [--format csv|json|xlsx] [--table NAME] [--sep semicolon] [--dates text] [--out FILE]
 *
 * GATEWAY_URL (default http://127.0.0.1:<GATEWAY_PORT>/graphql, the gateway of npm start) says where the
 * gateway is; AUTHORIZATION, when set, is sent as the Authorization header. `npm run report -- list` lists the reports.
 */
import fs from 'node:fs';
import { printableLines } from '../shared/src/io/printable';
import { ConfigError, loadConfig } from '../shared/src/runtime/config';
import { parseCommandLine } from './commandLine';

const FORMATS = ['csv', 'json', 'xlsx'];

export class ReportError extends Error {}

interface Args {
  name?: string;
  vars: string[];
  format: string;
  table?: string;
  sep?: string;
  dates?: string;
  out?: string;
}

export function parseArgs(argv: string[]): Args {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      var: { type: 'string', multiple: true },
      format: { type: 'string' },
      table: { type: 'string' },
      sep: { type: 'string' },
      dates: { type: 'string' },
      out: { type: 'string' },
    },
    { positionals: true, fail: (message) => new ReportError(message.replace(/^unknown/, 'Unknown')) },
  );
  const { var: vars = [], format = 'csv', table, sep, dates, out } = values;
  if (!FORMATS.includes(format)) throw new ReportError(`--format must be csv, json or xlsx, not "${format}"`);
  if (positionals.length > 1) throw new ReportError(`One report at a time (got "${positionals[0]}" and "${positionals[1]}")`);
  return { name: positionals[0], vars, format, table, sep, dates, out };
}

/** The download's URL: the gateway's /reports beside its /graphql, the variables as query parameters. */
export function downloadUrl(gatewayUrl: string, args: Args): URL {
  const url = new URL(gatewayUrl.replace(/\/graphql\/?$/, '/') + `reports/${encodeURIComponent(args.name ?? '')}.${args.format}`);
  for (const pair of args.vars) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ReportError(`--var takes key=value, not "${pair}"`);
    url.searchParams.append(pair.slice(0, eq), pair.slice(eq + 1));
  }
  if (args.table !== undefined) url.searchParams.set('table', args.table);
  if (args.sep !== undefined) url.searchParams.set('sep', args.sep);
  if (args.dates !== undefined) url.searchParams.set('dates', args.dates);
  return url;
}

/** A download's body, and what the gateway says may be missing from it (x-report-incomplete), if anything. */
interface Download {
  body: Buffer;
  incomplete: string | null;
}

async function get(url: URL, authorization: string | undefined): Promise<Download> {
  let res: Response;
  try {
    res = await fetch(url, { headers: authorization ? { authorization } : {} });
  } catch {
    throw new ReportError(`The gateway at ${url.origin} could not be reached (is it running? set GATEWAY_URL)`);
  }
  const body = Buffer.from(await res.arrayBuffer());
  if (res.ok) return { body, incomplete: res.headers.get('x-report-incomplete') };
  let errors: { message?: string; extensions?: { code?: string } }[] | undefined;
  try {
    errors = (JSON.parse(body.toString('utf8')) as { errors?: typeof errors }).errors;
  } catch {
    // Not the gateway's JSON error: said below with the status alone.
  }
  if (!errors?.length) throw new ReportError(`The gateway answered HTTP ${res.status}`);
  throw new ReportError(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message ?? ''}`).join('\n'));
}

interface Listing {
  reports: { name: string; variables: { name: string }[]; tables: string[] }[];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { gatewayUrl, authorization } = loadConfig().reportClient;
  if (args.name === undefined || args.name === 'list') {
    const listing = JSON.parse(
      (await get(new URL(gatewayUrl.replace(/\/graphql\/?$/, '/') + 'reports'), authorization)).body.toString('utf8'),
    ) as Listing;
    process.stdout.write(`Reports (npm run report -- <name> [--var key=value ...] [--format csv|json|xlsx] [--table NAME]):\n`);
    for (const report of listing.reports) {
      const vars = report.variables.map((v) => v.name);
      process.stdout.write(
        `  ${report.name}${vars.length ? `  (--var ${vars.join(', ')})` : ''}  tables: ${report.tables.join(', ')}\n`,
      );
    }
    return;
  }
  // Downloaded in full before anything is written: a failure leaves no file, not even an empty one.
  const { body, incomplete } = await get(downloadUrl(gatewayUrl, args), authorization);
  // A list that came back as long as its page size may have been cut: written all the same, and said.
  if (incomplete) process.stderr.write(`[report] ${args.name} may be incomplete: ${printableLines(incomplete)}\n`);
  if (args.out) {
    fs.writeFileSync(args.out, body);
    process.stderr.write(`[report] ${args.name}: ${body.length} bytes of ${args.format} written to ${args.out}\n`);
  } else process.stdout.write(body);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // Messages quote the gateway's answer: shown with control characters and escape sequences escaped.
    process.stderr.write(`[report] ${printableLines(error instanceof Error ? error.message : String(error))}\n`);
    // A refused report or a bad setting: exit 2, as for any input the user can correct.
    process.exit(error instanceof ReportError || error instanceof ConfigError ? 2 : 1);
  });
}
