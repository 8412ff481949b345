import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs with the scripts' own messages ("unknown option --x", "--x needs a value"):
 * its strict mode quotes the option and suggests `--x=-value`, which reads badly in a usage line.
 * Checked on the tokens of a lenient pass, then parsed strictly for typed values.
 */
export function parseCommandLine<const O extends Options>(
  args: string[],
  options: O,
  {
    positionals = false,
    fail = (message: string) => new Error(message),
  }: { positionals?: boolean; fail?: (message: string) => Error } = {},
) {
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional' && !positionals) throw fail(`unknown option ${token.value}`);
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!spec) throw fail(`unknown option ${token.rawName}`);
    if (spec.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))) {
      throw fail(`${token.rawName} needs a value`);
    }
  }
  return parseArgs({ args, options, allowPositionals: positionals, strict: true });
}

/** A whole-number option's value, checked to lie between `min` and `max` (inclusive). */
export function wholeNumber(flag: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`--${flag} must be a whole number between ${min} and ${max}, got "${value}"`);
  }
  return n;
}
