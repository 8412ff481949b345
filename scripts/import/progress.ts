import type { Progress } from '../../services/migration-data/src/import';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Progress of an import: a bar redrawn in place on a terminal (rows, rows/s, ETA), otherwise one
 * plain line per tenth of the file, so logs stay readable.
 */
export function progressPrinter(out: NodeJS.WriteStream, label: string) {
  const started = Date.now();
  const tty = out.isTTY === true;
  let nextTenth = 1;
  let lastDraw = 0;
  return {
    update(p: Progress): void {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      const rate = p.rows / seconds;
      const fraction = p.totalBytes > 0 ? Math.min(p.bytes / p.totalBytes, 1) : 0;
      if (tty) {
        if (Date.now() - lastDraw < 100 && fraction < 1) return;
        lastDraw = Date.now();
        const width = 30;
        const filled = Math.round(fraction * width);
        const eta = fraction > 0 ? (seconds / fraction) * (1 - fraction) : 0;
        out.write(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${fmt(p.rows)} rows ${fmt(rate)} rows/s ETA ${eta.toFixed(0)} s   `,
        );
        return;
      }
      if (fraction * 10 < nextTenth && fraction < 1) return;
      nextTenth = Math.floor(fraction * 10) + 1;
      out.write(`${label}: ${fmt(p.rows)} rows read (${(fraction * 100).toFixed(0)}% of the file), ${fmt(rate)} rows/s\n`);
    },
    end(): void {
      if (tty) out.write('\n');
    },
  };
}
