import crypto from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { csvText, MAX_LINE_BYTES } from '../../../../shared/src/io/csv';
import { type FieldRule, type FieldRules, Problems, readInput } from '../../../../shared/src/editing/validation';
import { printable } from '../../../../shared/src/io/printable';
import { changeChannel, changeTriggerDdl } from '../../../../shared/src/data/readCache';

/** A row the import refused: its line in the file (the header is line 1), why, and its text. */
export interface Reject {
  line: number;
  reason: string;
  text: string;
}

/** How far an import has read: rows so far and bytes of the file. */
export interface Progress {
  rows: number;
  bytes: number;
  totalBytes: number;
}

export interface ImportOptions {
  /** Load the good rows and report the bad ones (written to `rejectsFile` when given) instead of failing. */
  skipInvalid?: boolean;
  rejectsFile?: string;
  /** Wait for another import of the same target to finish (default); false fails at once with ImportBusyError. */
  wait?: boolean;
  onProgress?: (p: Progress) => void;
  /** Called once when the import has to wait for another import of the same target. */
  onWaiting?: () => void;
}

export interface ImportResult {
  kind: 'stock' | 'indicators' | 'catalogue' | 'displacement' | 'missing-migrants';
  /** The revision (stock) or the indicator codes (series) or 'catalogue'. */
  target: string;
  /** False when the data already loaded is what the file holds: nothing was written. */
  changed: boolean;
  rows: number;
  rejected: number;
  /** The first rejects (at most MAX_REPORTED), with line numbers and reasons. */
  rejects: Reject[];
  sha256: string;
  ms: number;
  /** Milliseconds per step (stock imports that loaded data). */
  phases?: Record<string, number>;
  /**
   * Stock imports: how many corridors had their male and female rows on lines apart in the file
   * (merged all the same); 0 when each corridor's two rows follow each other.
   */
  splitCorridors?: number;
}

/** How many bad rows an error message or a result lists; the rejects file has them all. */
export const MAX_REPORTED = 100;

/** The file cannot be loaded as a whole: a wrong column set, or bad rows without --skip-invalid. Nothing was written. */
export class ImportError extends Error {
  constructor(
    message: string,
    readonly rejects: Reject[] = [],
    readonly rejectedCount = rejects.length,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

/** Another import of the same target holds the lock and the caller chose not to wait. */
export class ImportBusyError extends Error {
  constructor(target: string) {
    super(`another import of ${target} is running; try again when it has finished`);
    this.name = 'ImportBusyError';
  }
}

/** How many characters of a rejected row a rejects file keeps (the line number finds the rest). */
export const SHOWN_ROW_CHARACTERS = 1000;

export function describeRejects(file: string, rejects: Reject[], total: number): string {
  // Reasons quote the file's cells (made printable where they are built); printing them again costs nothing.
  const lines = rejects.map((r) => `  ${printable(path.basename(file))} line ${r.line}: ${printable(r.reason, 2000)}`);
  if (total > rejects.length) lines.push(`  ... and ${total - rejects.length} more`);
  return lines.join('\n');
}

/**
 * Takes the transaction-scoped advisory lock of one import target: two imports of the same
 * revision never interleave. Waits (after telling the caller) or fails at once.
 */
export async function lockTarget(client: ClientBase, key: string, opts: ImportOptions): Promise<void> {
  const [{ locked }] = (await client.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [key])).rows;
  if (locked) return;
  if (opts.wait === false) throw new ImportBusyError(key.replace(/^import:/, '').replace(':', ' '));
  opts.onWaiting?.();
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
}

/** Collects rejects: all of them into the rejects file (CSV), the first MAX_REPORTED in memory. */
export class RejectSink {
  readonly first: Reject[] = [];
  count = 0;
  private out: fs.WriteStream | null = null;
  private closed = false;

  constructor(private readonly file: string | undefined) {}

  async add(r: Reject): Promise<void> {
    this.count += 1;
    if (this.first.length < MAX_REPORTED) this.first.push(r);
    if (!this.file) return;
    if (!this.out) {
      this.out = fs.createWriteStream(this.file);
      this.out.write(csvText([['line', 'reason', 'row']], '\n'));
    }
    const row = csvText([[r.line, printable(r.reason, 2000), printable(r.text, SHOWN_ROW_CHARACTERS)]], '\n');
    if (!this.out.write(row)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    // Closed once: an import's error path closes the sink again after its body did.
    if (this.closed) return;
    this.closed = true;
    if (this.out) {
      this.out.end();
      await once(this.out, 'finish');
    } else if (this.file && fs.existsSync(this.file)) {
      // No rejects this time: an old rejects file would mislead.
      fs.rmSync(this.file);
    }
  }
}

/** One cell of COPY input for PostgreSQL (not a file people open: no formula neutralising here). */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Buffers COPY text and writes it in large chunks, respecting back-pressure. */
export class CopyWriter {
  private buffer = '';
  constructor(
    private readonly stream: Writable,
    private readonly chunk = 1 << 16,
  ) {}

  async write(line: string): Promise<void> {
    this.buffer += line;
    if (this.buffer.length >= this.chunk) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer === '') return;
    const ok = this.stream.write(this.buffer);
    this.buffer = '';
    if (!ok) await once(this.stream, 'drain');
  }

  async end(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}

/** Reports progress at most every `everyRows` rows, and once at the end. */
export function progressReporter(file: string, onProgress: ImportOptions['onProgress'], everyRows = 20000) {
  const totalBytes = isRegularFile(file) ? fs.statSync(file).size : 0;
  let next = everyRows;
  return {
    totalBytes,
    tick(rows: number, bytes: number): void {
      if (!onProgress || rows < next) return;
      next = rows + everyRows;
      onProgress({ rows, bytes, totalBytes });
    },
    done(rows: number): void {
      onProgress?.({ rows, bytes: totalBytes, totalBytes });
    },
  };
}

/** The import's error for a line longer than MAX_LINE_BYTES: the whole file is refused at once. */
export function lineTooLong(file: string, line: number): ImportError {
  return new ImportError(
    `${file} line ${line}: the line is longer than ${MAX_LINE_BYTES.toLocaleString('en-US')} bytes, the most a line may have; nothing was written`,
  );
}

/** A text rule of the mutation inputs, required: a row in a file has no stored value to keep. */
export function requiredText(rule: FieldRule): FieldRule {
  if (rule.kind !== 'text') throw new Error(`requiredText takes a text rule, not ${rule.kind}`);
  return { ...rule, required: true };
}

/**
 * Checks the text cells of one row with the rules (and so the length caps) of mutation inputs:
 * an import is one more way to write the same columns. Blank cells are absent. Returns the
 * problems as one reason naming each field, or null.
 */
export function checkTextCells(rules: FieldRules, cells: Record<string, string>): string | null {
  const p = new Problems('cell');
  const given = Object.fromEntries(Object.entries(cells).filter(([, v]) => v !== ''));
  readInput(rules, given, 'create', p);
  return p.list.length === 0 ? null : p.list.map((x) => `${x.field.slice('cell.'.length)} ${x.message}`).join('; ');
}

export const MIN_YEAR = 1950;
/** Figures are observations: no year after the current one. */
export const maxYear = (): number => new Date().getUTCFullYear();

/** The file name that stands for standard input (a pipe into the import command). */
export const STANDARD_INPUT = '-';

/** A stream of the file's bytes: standard input for STANDARD_INPUT. */
export function readStream(file: string, options?: { highWaterMark?: number }): Readable {
  return file === STANDARD_INPUT ? process.stdin : fs.createReadStream(file, options);
}

/** Whether the file can be read twice (a regular file, not a pipe or standard input). */
export function isRegularFile(file: string): boolean {
  return file !== STANDARD_INPUT && fs.statSync(file).isFile();
}

/**
 * A file opened for one read, with its first line read ahead (to choose a format): `stream` then
 * gives every byte from the start. A pipe can be read only once, so nothing reads it a second time.
 */
export interface PeekedInput {
  /** The first line, without its end or a byte-order mark, trimmed; at most its first KiB. */
  firstLine: string;
  stream: Readable;
}

export async function openPeeked(file: string): Promise<PeekedInput> {
  const source = readStream(file);
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let size = 0;
  while (size < 1024 && !head.some((b) => b.includes(0x0a))) {
    const next = await chunks.next();
    if (next.done) break;
    head.push(next.value);
    size += next.value.length;
  }
  const firstLine = Buffer.concat(head)
    .subarray(0, 1024)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)[0]
    .trim();
  async function* all(): AsyncGenerator<Buffer> {
    try {
      yield* head;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    } finally {
      source.destroy();
    }
  }
  return { firstLine, stream: Readable.from(all(), { objectMode: false }) };
}

/** Streams a file (or `input`, a stream of it) into a COPY statement, hashing it on the way; a COPY error (wrong header, wrong cell count) refuses the file. */
export async function copyFile(
  client: ClientBase,
  file: string,
  statement: string,
  columns: readonly string[],
  input: Readable = readStream(file),
): Promise<string> {
  const hash = crypto.createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(input, hashing, client.query(copyFrom(statement)));
  } catch (error) {
    // PostgreSQL names the line (a wrong header, a line with too many or too few cells): the file is refused as a whole.
    const e = error as Error & { where?: string };
    throw new ImportError(
      `${file}: ${printable(e.message, 300)}${e.where ? ` (${printable(e.where, 200)})` : ''}; expected the columns "${columns.join(',')}"; nothing was written`,
    );
  }
  return hash.digest('hex');
}

/** The file's SHA-256, from one read of it. */
export async function sha256Of(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of readStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Refuses the file, naming its first bad rows, when some were rejected and the caller did not ask to skip them. */
export function failIfInvalid(file: string, sink: RejectSink, opts: ImportOptions): void {
  if (sink.count > 0 && !opts.skipInvalid) {
    throw new ImportError(
      `${file}: ${sink.count} invalid row(s); nothing was written\n${describeRejects(file, sink.first, sink.count)}`,
      sink.first,
      sink.count,
    );
  }
}

/** Records what an import loaded, so that the same file next time is recognised and changes nothing. */
export async function logImport(
  client: ClientBase,
  kind: ImportResult['kind'],
  target: string,
  loaded: { sha256: string; rows: number; rejected: number },
): Promise<void> {
  await logImports(client, kind, [{ target, rows: loaded.rows }], loaded);
}

/** logImport for several targets loaded from one file (the indicators of a series file), in one statement. */
export async function logImports(
  client: ClientBase,
  kind: ImportResult['kind'],
  targets: readonly { target: string; rows: number }[],
  loaded: { sha256: string; rejected: number },
): Promise<void> {
  await client.query(
    `INSERT INTO "data"."import_log" ("kind", "target", "sha256", "rows", "rejected")
     SELECT $1, t.target, $3, t.rows, $4 FROM unnest($2::text[], $5::int[]) AS t(target, rows)
     ON CONFLICT ("kind", "target") DO UPDATE SET "sha256" = $3, "rows" = EXCLUDED.rows, "rejected" = $4, "imported_at" = now()`,
    [kind, targets.map((t) => t.target), loaded.sha256, loaded.rejected, targets.map((t) => t.rows)],
  );
}

/**
 * One import's transaction: BEGIN, its settings, the lock of its target; then `body`, which says
 * whether to commit (false: nothing changed, rolled back) and how to make the result, made once the
 * transaction has ended (so that its time counts the commit). On any error, the rollback, and the
 * rejects sink closed.
 */
export async function importTransaction<R>(
  client: ClientBase,
  opts: ImportOptions,
  spec: { lock: string; settings: string; sink: RejectSink },
  body: () => Promise<{ commit: boolean; result: () => R }>,
): Promise<R> {
  await client.query('BEGIN');
  try {
    await client.query(spec.settings);
    await lockTarget(client, spec.lock, opts);
    const { commit, result } = await body();
    await client.query(commit ? 'COMMIT' : 'ROLLBACK');
    return result();
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    await spec.sink.close().catch(() => undefined);
    throw error;
  }
}

/** What the body of a whole-table import is given: the rejects, and the COPY of the file (false when the file is the one loaded). */
export interface TableLoad {
  sink: RejectSink;
  copy(statement: string, columns: readonly string[]): Promise<boolean>;
}

/**
 * One import that replaces a whole table from a file, in one transaction (importTransaction): the
 * checksum test (a file already loaded is recognised before its COPY when it can be read twice,
 * after it when it is a pipe), the import log and the result. `load` validates and writes, and
 * returns the rows loaded, or null when the COPY said the file is the one loaded.
 */
export async function importTable(
  client: ClientBase,
  file: string,
  opts: ImportOptions,
  spec: { kind: 'displacement' | 'missing-migrants'; target: string; settings: string },
  load: (step: TableLoad) => Promise<number | null>,
): Promise<ImportResult> {
  const started = Date.now();
  const sink = new RejectSink(opts.skipInvalid ? opts.rejectsFile : undefined);
  const result = (changed: boolean, sha256: string, rows: number): ImportResult => ({
    kind: spec.kind,
    target: spec.target,
    changed,
    rows,
    rejected: changed ? sink.count : 0,
    rejects: changed ? sink.first : [],
    sha256,
    ms: Date.now() - started,
  });
  return importTransaction(client, opts, { lock: `import:${spec.kind}`, settings: spec.settings, sink }, async () => {
    const logged = await client.query(`SELECT sha256 FROM "data"."import_log" WHERE kind = $1 AND target = $2`, [
      spec.kind,
      spec.target,
    ]);
    const loaded: string | null = logged.rows[0]?.sha256 ?? null;
    // A file already loaded costs one read of its bytes (no COPY) before it is recognised.
    if (loaded !== null && isRegularFile(file) && loaded === (await sha256Of(file))) {
      return { commit: false, result: () => result(false, loaded, 0) };
    }
    let sha256 = '';
    const rows = await load({
      sink,
      copy: async (statement, columns) => {
        sha256 = await copyFile(client, file, statement, columns);
        return sha256 !== loaded;
      },
    });
    if (rows === null) {
      await sink.close();
      return { commit: false, result: () => result(false, sha256, 0) };
    }
    await logImport(client, spec.kind, spec.target, { sha256, rows, rejected: sink.count });
    return { commit: true, result: () => result(true, sha256, rows) };
  });
}

/**
 * Puts data.load_<table> (built, indexed and analysed beside the live table) in place of
 * data.<table>, inside the caller's transaction: readers of the table wait only from here to the
 * commit. The load table's constraints and indexes, named load_<table>..., take the names of the
 * table's own; the change trigger is created again, and the change announced (a dropped table fires
 * no trigger).
 */
export async function swapTable(client: ClientBase, table: string): Promise<void> {
  const load = `load_${table}`;
  const names = await client.query(
    `SELECT 'constraint' AS kind, conname AS name FROM pg_constraint WHERE conrelid = $1::regclass AND conname LIKE $2 AND contype IN ('p', 'f')
     UNION ALL
     SELECT 'index', c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = $1::regclass AND c.relname LIKE $2
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype = 'p')`,
    [`"data"."${load}"`, `${load.replace(/_/g, '\\_')}\\_%`],
  );
  // The load table takes the live table's owner and grants: whoever runs the import (the service's
  // role, or an administrator), the services read the new table as they read the old one.
  const access = await client.query<{ owner: string; grants: string[] }>(
    `SELECT c.relowner::regrole::text AS owner,
            coalesce(array_agg(format('GRANT %s ON "data".%I TO %s', a.privilege_type, $2::text,
                                      CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(a.grantee::regrole::text) END)
                               ORDER BY a.grantee, a.privilege_type)
                       FILTER (WHERE a.grantee IS DISTINCT FROM c.relowner AND a.privilege_type IS NOT NULL), '{}') AS grants
       FROM pg_class c LEFT JOIN LATERAL aclexplode(c.relacl) a ON true
      WHERE c.oid = $1::regclass
      GROUP BY c.relowner`,
    [`"data"."${table}"`, load],
  );
  const { owner, grants } = access.rows[0];
  await client.query(`ALTER TABLE "data"."${load}" OWNER TO ${owner}`);
  for (const grant of grants) await client.query(grant);
  await client.query(`DROP TABLE "data"."${table}"`);
  await client.query(`ALTER TABLE "data"."${load}" RENAME TO "${table}"`);
  for (const { kind, name } of names.rows as { kind: 'constraint' | 'index'; name: string }[]) {
    const final = name.slice('load_'.length);
    await client.query(
      kind === 'constraint'
        ? `ALTER TABLE "data"."${table}" RENAME CONSTRAINT "${name}" TO "${final}"`
        : `ALTER INDEX "data"."${name}" RENAME TO "${final}"`,
    );
  }
  await client.query(changeTriggerDdl('data', table));
  await client.query('SELECT pg_notify($1, $2)', [changeChannel('data'), table]);
}
