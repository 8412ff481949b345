/**
 * Byte-level helpers for the stock import's hot loop: a CSV line is checked and read straight
 * from the file's bytes, and COPY text is written straight into a buffer, so a valid row costs no
 * string or object. Anything unusual goes to the string path (checkStockLine), which names the
 * problem; both paths accept exactly the same rows.
 */

const COMMA = 44;
const ZERO = 48;
const NINE = 57;
const A = 65;
const Z = 90;

/** A valid row read from bytes: country keys, year, sex and stock. */
export interface RowFields {
  destination: number;
  origin: number;
  year: number;
  male: boolean;
  stock: number;
}

/** Key of three capital letters at `i`, or -1. */
function keyAt(b: Uint8Array, i: number): number {
  const x = b[i];
  const y = b[i + 1];
  const z = b[i + 2];
  if (x < A || x > Z || y < A || y > Z || z < A || z > Z) return -1;
  return (x - A) * 676 + (y - A) * 26 + (z - A);
}

/**
 * Reads `destination,origin,year,sex,stock` from b[start, end) into `row` when the line has exactly
 * that form: two codes of three capitals, a four-digit year, male or female, 1 to 15 digits.
 * False for any other line (the caller then asks the string path why). Codes, year range and
 * duplicates are the caller's checks.
 */
export function readStockLine(b: Uint8Array, start: number, end: number, row: RowFields): boolean {
  // Shortest: AAA,BBB,1990,male,0 (20 bytes); longest: female and 15 digits (36 bytes).
  const n = end - start;
  if (n < 20 || n > 36) return false;
  let i = start;
  const d = keyAt(b, i);
  if (d < 0 || b[i + 3] !== COMMA) return false;
  i += 4;
  const o = keyAt(b, i);
  if (o < 0 || b[i + 3] !== COMMA) return false;
  i += 4;
  let year = 0;
  for (let k = 0; k < 4; k += 1) {
    const c = b[i + k];
    if (c < ZERO || c > NINE) return false;
    year = year * 10 + (c - ZERO);
  }
  if (b[i + 4] !== COMMA) return false;
  i += 5;
  let male: boolean;
  // "male," or "female,"
  if (b[i] === 109 && b[i + 1] === 97 && b[i + 2] === 108 && b[i + 3] === 101 && b[i + 4] === COMMA) {
    male = true;
    i += 5;
  } else if (b[i] === 102 && b[i + 1] === 101 && b[i + 2] === 109 && b[i + 3] === 97 && b[i + 4] === 108 && b[i + 5] === 101 && b[i + 6] === COMMA) {
    male = false;
    i += 7;
  } else {
    return false;
  }
  const digits = end - i;
  if (digits < 1 || digits > 15) return false;
  let stock = 0;
  for (; i < end; i += 1) {
    const c = b[i];
    if (c < ZERO || c > NINE) return false;
    stock = stock * 10 + (c - ZERO);
  }
  row.destination = d;
  row.origin = o;
  row.year = year;
  row.male = male;
  row.stock = stock;
  return true;
}

/** ASCII text written into a growing buffer: COPY input without intermediate strings. */
export class AsciiWriter {
  private buf: Buffer;
  private pos = 0;
  constructor(size = 1 << 21) {
    this.buf = Buffer.allocUnsafe(size);
  }
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
  /** A non-negative integer below 2^53. */
  int(v: number): void {
    this.room(16);
    const buf = this.buf;
    if (v < 10) {
      buf[this.pos++] = ZERO + v;
      return;
    }
    if (v < 2147483648) {
      // Small integers (nearly every figure): 32-bit arithmetic, digits written backwards.
      let digits = v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
      let p = this.pos + digits;
      this.pos = p;
      let t = v | 0;
      while (digits-- > 0) {
        const q = (t / 10) | 0;
        buf[--p] = ZERO + (t - q * 10);
        t = q;
      }
      return;
    }
    let digits = 0;
    for (let t = v; t >= 1; t = Math.floor(t / 10)) digits += 1;
    let p = this.pos + digits;
    this.pos = p;
    for (let t = v; t >= 1; t = Math.floor(t / 10)) buf[--p] = ZERO + (t % 10);
  }
  byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }
  get length(): number {
    return this.pos;
  }
  /** The text written so far (a copy); the writer starts again empty. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }
}
