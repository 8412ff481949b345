/** One request of the soak: when it started and ended, what it was, and how it went. */
export interface Sample {
  op: string;
  start: number;
  end: number;
  ok: boolean;
  /** extensions.code of each error, or HTTP_<status>, or NETWORK. */
  codes: string[];
  touches: readonly string[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export interface PhaseFigures {
  requests: number;
  successRate: number;
  /** Success rate of the operations that do not touch the faulted part (null: every operation touches it). */
  unaffectedSuccessRate: number | null;
  unaffectedRequests: number;
  p50: number;
  p99: number;
  errors: Record<string, number>;
}

export function figures(samples: Sample[], faulted: string | null): PhaseFigures {
  const latencies = samples.map((s) => s.end - s.start).sort((a, b) => a - b);
  const errors: Record<string, number> = {};
  for (const s of samples) for (const c of s.codes) errors[c] = (errors[c] ?? 0) + 1;
  const unaffected =
    faulted && faulted !== 'postgres' ? samples.filter((s) => !s.touches.includes(faulted)) : faulted ? [] : samples;
  return {
    requests: samples.length,
    successRate: samples.length ? samples.filter((s) => s.ok).length / samples.length : NaN,
    unaffectedSuccessRate: unaffected.length ? unaffected.filter((s) => s.ok).length / unaffected.length : null,
    unaffectedRequests: unaffected.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

export function pct(rate: number | null): string {
  if (rate === null || Number.isNaN(rate)) return '—';
  return `${(rate * 100).toFixed(rate === 1 ? 0 : 2)} %`;
}

/** A plain text table with aligned columns. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}
