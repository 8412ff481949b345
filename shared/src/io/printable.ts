/**
 * Text that came from a file or a caller, made safe to show in a terminal, a log line or a rejects
 * file: one helper for every error output, so that no path echoes raw binary or escape sequences.
 */

/** How many characters of one value an error message shows by default. */
export const SHOWN_CHARACTERS = 120;

// C0 and C1 controls (ESC and CSI start terminal sequences), DEL, the bidi and invisible format
// characters that reorder or hide text, line and paragraph separators, and lone surrogates.
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- finding control characters is what it is for
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * The value with every control, format or unpaired character written as a visible escape (\x1b,
 * \u202e, \n) and, past `max` characters, cut with the number of characters left out. Printable
 * text (accents, any script) is kept as it is; escaping is idempotent, so a message may pass twice.
 */
export function printable(value: string, max = SHOWN_CHARACTERS): string {
  let head = value;
  let cut = 0;
  if (value.length > max) {
    let end = max;
    // Never split a surrogate pair: the half left would be escaped as a lone surrogate.
    const last = value.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    head = value.slice(0, end);
    cut = value.length - end;
  }
  const shown = head.replace(UNSAFE, escapeOne);
  return cut > 0 ? `${shown}… (${cut.toLocaleString('en-US')} more characters)` : shown;
}

/** A value quoted for an error message: `"…"`, made printable and cut at `max` characters. */
export function quoted(value: string, max = SHOWN_CHARACTERS): string {
  return `"${printable(value, max)}"`;
}

/** A multi-line message (such as an import's list of rejected rows), each line made printable. */
export function printableLines(message: string, max = 2000): string {
  return message
    .split('\n')
    .map((line) => printable(line, max))
    .join('\n');
}
