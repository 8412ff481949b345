import { execFile } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { testDatabaseUrl } from '../support/serviceHarness';
import { required } from '../../shared/src/runtime/required';

interface ProbeSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  kind: number;
  process: string | null;
  durationMs: number;
  statement: string | null;
}

const CROSS = `{ instrument(code: "ICRMW") { shortTitle } country(code: "SEN") { name immigrantStock(years: [2020]) { total } } }`;

/** Runs the probe in its own process, as the gateway and the services run (instrumentation loaded first). */
function probe(query: string): Promise<{ answer: unknown; spans: ProbeSpan[] }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join('tests', 'support', 'traceProbe.ts'), testDatabaseUrl(), query],
      { cwd: PROJECT_ROOT, env: { ...process.env, NODE_ENV: 'test' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`the probe failed: ${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as { answer: unknown; spans: ProbeSpan[] });
      },
    );
  });
}

describe('traces', () => {
  it('one cross-domain query is one trace: the gateway request, plan and fetches, a server span in each service called, and their SQL', async () => {
    const { answer, spans } = await probe(CROSS);
    expect(answer).toEqual({
      data: {
        instrument: { shortTitle: 'Migrant Workers Convention' },
        country: { name: 'Senegal', immigrantStock: [{ total: 274929 }] },
      },
    });
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const root = required(
      spans.find((s) => s.process === 'gateway'),
      "the gateway's server span",
    );
    const trace = spans.filter((s) => s.traceId === root.traceId);
    // Every span of the query is in the one trace.
    expect(trace.length).toBe(spans.length);
    const names = new Set(trace.map((s) => s.name));
    expect(['gateway.request', 'gateway.plan', 'gateway.fetch'].every((n) => names.has(n))).toBe(true);
    const servers = trace.filter((s) => s.process !== null && s.process !== 'gateway');
    // The country's name comes from consultative-processes, its stock from migration-data.
    expect([...new Set(servers.map((s) => s.process))].sort()).toEqual([
      'consultative-processes',
      'legal-instruments',
      'migration-data',
    ]);
    // Each service's span continues a gateway.fetch span (the traceparent crossed HTTP).
    for (const server of servers) expect(byId.get(server.parentSpanId ?? '')?.name).toBe('gateway.fetch');
    // SQL spans, each under a service's server span.
    const ancestorProcess = (span: ProbeSpan): string | null => {
      for (let s: ProbeSpan | undefined = span; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) {
        if (s.process && s.process !== 'gateway') return s.process;
      }
      return null;
    };
    const sql = trace.filter((s) => s.statement !== null);
    expect([...new Set(sql.map(ancestorProcess))]).toEqual(expect.arrayContaining(['legal-instruments', 'migration-data']));
    expect(sql.every((s) => ancestorProcess(s) !== null)).toBe(true);
    process.stdout.write(
      `the trace of one cross-domain query:\n${trace
        .map((s) => `${s.name}${s.process ? ` [${s.process}]` : ''} ${s.durationMs.toFixed(1)} ms`)
        .join('\n')}\n`,
    );
  }, 120_000);
});
