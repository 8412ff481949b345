// npm run import -- <stock|indicators|catalogue|displacement|missing-migrants> <file|-> [--revision NAME] [--skip-invalid] [--rejects FILE]
//   [--no-wait] [--title T] [--citation C] [--source-url URL] [--confidence seen|derived|unverified] [--json]
// Loads a bilateral migrant-stock CSV as one revision, an indicator catalogue, indicator series, or
// UNHCR's forced-displacement table (year × origin × asylum) or IOM's Missing Migrants Project records
// into migration-data (a file of '-' is standard input, such as a pipe), on DATABASE_URL or
// the embedded PostgreSQL (migrated and seeded first): the one npm start runs, when it runs (left
// running), or one started for the import.
// Exit codes: 0 loaded or unchanged, 1 invalid file or rows (nothing written), 2 usage, 3 another
// import of the same target is running (--no-wait), 4 any other failure.
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../shared/src/runtime/config';
import { printableLines } from '../shared/src/io/printable';
import { type ResolvedDatabase, resolveDatabase } from '../shared/src/data/resolveDatabase';
import { serviceDatabaseUrl } from '../shared/src/data/databaseRoles';
import { createLogger } from '../shared/src/runtime/logger';
import { prepareDatabase } from '../shared/src/runtime/service';
import { definition } from '../services/migration-data/src/service';
import {
  describeRejects,
  ImportBusyError,
  ImportError,
  type ImportOptions,
  type ImportResult,
  importCatalogue,
  importDisplacement,
  importIndicatorSeries,
  importMissingMigrants,
  importStock,
  STANDARD_INPUT,
} from '../services/migration-data/src/import';
import { progressPrinter } from './import/progress';
import { parseCommandLine } from './commandLine';

const USAGE =
  'usage: npm run import -- <stock|indicators|catalogue|displacement|missing-migrants> <file|-> [--revision NAME] [--skip-invalid] [--rejects FILE] [--no-wait] [--title T] [--citation C] [--source-url URL] [--confidence C] [--json]';
const KINDS = ['stock', 'indicators', 'catalogue', 'displacement', 'missing-migrants'] as const;
type Kind = (typeof KINDS)[number];
const OPTIONS = {
  revision: { type: 'string' },
  rejects: { type: 'string' },
  title: { type: 'string' },
  citation: { type: 'string' },
  'source-url': { type: 'string' },
  confidence: { type: 'string' },
  'skip-invalid': { type: 'boolean' },
  'no-wait': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

class UsageError extends Error {}

interface Args {
  kind: Kind;
  file: string;
  flags: ReturnType<typeof parseCommandLine<typeof OPTIONS>>['values'];
}

function parseArgs(argv: string[]): Args {
  const { values: flags, positionals: positional } = parseCommandLine(argv, OPTIONS, {
    positionals: true,
    fail: (m) => new UsageError(m),
  });
  if (positional.length !== 2) throw new UsageError('expected a kind and a file');
  const [kind, file] = positional;
  if (!(KINDS as readonly string[]).includes(kind))
    throw new UsageError(`kind must be one of ${KINDS.join(', ')}, got "${kind}"`);
  if (file === STANDARD_INPUT) {
    if (process.stdin.isTTY) throw new UsageError("'-' reads the file from standard input, and nothing is piped in");
    if (flags['skip-invalid'] && flags.rejects === undefined)
      throw new UsageError('reading standard input, --skip-invalid needs --rejects FILE');
  }
  // A named pipe is read like a file: each import reads its input once, so a decompressor can feed it.
  else if (!fs.existsSync(file) || !(fs.statSync(file).isFile() || fs.statSync(file).isFIFO()))
    throw new UsageError(`no such file: ${file}`);
  if (kind === 'stock' && flags.revision === undefined)
    throw new UsageError('a stock import needs --revision NAME (such as 2024)');
  if (
    kind !== 'stock' &&
    (['revision', 'title', 'citation', 'source-url', 'confidence'] as const).some((f) => flags[f] !== undefined)
  ) {
    throw new UsageError('--revision, --title, --citation, --source-url and --confidence apply to stock imports only');
  }
  if (flags.rejects !== undefined && !flags['skip-invalid']) throw new UsageError('--rejects goes with --skip-invalid');
  return { kind: kind as Kind, file: file === STANDARD_INPUT ? file : path.resolve(file), flags };
}

function run(client: Client, args: Args, opts: ImportOptions): Promise<ImportResult> {
  const { revision = '', title, citation, 'source-url': sourceUrl, confidence } = args.flags;
  if (args.kind === 'catalogue') return importCatalogue(client, args.file, opts);
  if (args.kind === 'indicators') return importIndicatorSeries(client, args.file, opts);
  if (args.kind === 'displacement') return importDisplacement(client, args.file, opts);
  if (args.kind === 'missing-migrants') return importMissingMigrants(client, args.file, opts);
  const meta: Record<string, string> = {};
  if (title) meta.title = title;
  if (citation) meta.citation = citation;
  if (sourceUrl) meta.sourceUrl = sourceUrl;
  if (confidence) meta.confidence = confidence;
  return importStock(client, args.file, { ...opts, revision, meta });
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`[import] ${printableLines((e as Error).message)}\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const log = createLogger('import', config.logLevel === 'info' ? 'warn' : config.logLevel);
  let db: ResolvedDatabase;
  try {
    // Beside a running npm start, its embedded server is used (and left running).
    db = await resolveDatabase(config, log, { shareRunning: true });
  } catch (e) {
    process.stderr.write(`[import] failed: ${printableLines((e as Error).message)}\n`);
    return 4;
  }
  // The import writes migration-data's tables, so it connects as that service's own role.
  const client = new Client({
    connectionString: serviceDatabaseUrl(config.database, db.url, 'migration-data'),
    application_name: 'migration-data-import',
  });
  const label = `${args.kind}${args.flags.revision !== undefined ? ` ${args.flags.revision}` : ''}`;
  const progress = progressPrinter(process.stderr, label);
  try {
    await prepareDatabase(definition, db.url, config.database, log);
    await client.connect();
    const skipInvalid = args.flags['skip-invalid'] === true;
    const rejectsFile = skipInvalid ? path.resolve(args.flags.rejects ?? `${args.file}.rejects.csv`) : undefined;
    const result = await run(client, args, {
      skipInvalid,
      rejectsFile,
      wait: !args.flags['no-wait'],
      onProgress: (p) => progress.update(p),
      onWaiting: () => process.stderr.write(`[import] another import of ${label} is running: waiting for it to finish\n`),
    });
    progress.end();
    const rss = process.resourceUsage().maxRSS * 1024;
    if (args.flags.json) {
      process.stdout.write(`${JSON.stringify({ ...result, rejects: undefined, peakRssBytes: rss })}\n`);
    } else if (!result.changed) {
      process.stdout.write(
        `[import] ${label}: ${path.basename(args.file)} is already loaded (sha256 ${result.sha256.slice(0, 12)}…); nothing changed\n`,
      );
    } else {
      const rate = result.rows / Math.max(result.ms / 1000, 0.001);
      process.stdout.write(
        `[import] ${label}: ${result.rows.toLocaleString('en-US')} rows loaded in ${(result.ms / 1000).toFixed(2)} s ` +
          `(${Math.round(rate).toLocaleString('en-US')} rows/s), ${result.rejected} rejected; peak RSS ${(rss / 1048576).toFixed(0)} MB\n`,
      );
      if (result.rejected > 0) {
        process.stdout.write(
          `${describeRejects(args.file, result.rejects, result.rejected)}\n[import] every rejected row is in ${printableLines(String(rejectsFile))}\n`,
        );
      }
    }
    return 0;
  } catch (e) {
    progress.end();
    // Messages quote the file (and the server quotes values): every line escaped and cut before it reaches the terminal.
    if (e instanceof ImportError) {
      process.stderr.write(`[import] ${printableLines(e.message)}\n`);
      return 1;
    }
    if (e instanceof ImportBusyError) {
      process.stderr.write(`[import] ${printableLines(e.message)}\n`);
      return 3;
    }
    process.stderr.write(`[import] failed: ${printableLines((e as Error).message)}\n`);
    return 4;
  } finally {
    await client.end().catch(() => undefined);
    await db.embedded?.stop();
  }
}

main().then((code) => process.exit(code));
