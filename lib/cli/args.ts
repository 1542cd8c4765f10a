/**
 * Each command's flags as data: what `switchyard <command> --help` prints and
 * what its arguments are checked against. Parsing goes through
 * `node:util` parseArgs without its strict mode, so a mistake is one line in
 * our words (naming the command and its --help), not Node's parser's.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './io';

/** One flag: a string takes a value (`--port N`), a boolean does not. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** The value's placeholder in the help, e.g. `FILE`. Only for strings. */
  readonly value?: string;
  readonly description: string;
  /** A string flag that may be given more than once; its value is then every one given, in order. */
  readonly multiple?: boolean;
}

/** A command: its synopsis, one sentence on what it does, and its flags. */
export interface CommandSpec {
  readonly name: string;
  /** What follows `switchyard <name>` in the usage line, e.g. `DEFINITION [options]`. */
  readonly synopsis: string;
  readonly summary: string;
  /** Whether the command takes positional arguments (a DEFINITION file). */
  readonly positionals: boolean;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Flags a user may reach for that the command does not have, each with what to do instead (said in place of "Unknown option"). */
  readonly instead?: Readonly<Record<string, string>>;
}

/** What a command's arguments parse to; `help` when `--help` or `-h` was given. */
export type ParsedArgs = { help: true } | { help: false; values: Record<string, string | boolean | string[] | undefined>; positionals: string[] };

const HELP_FLAGS = new Set(['help', 'h']);

/** `switchyard <command> --help`: the usage line, the summary and every flag. */
export function commandHelp(spec: CommandSpec): string {
  const rows = Object.entries(spec.flags).map(([name, flag]) => [`--${name}${flag.value ? ` ${flag.value}` : ''}`, `${flag.description}${flag.multiple ? ' (repeatable)' : ''}`]);
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return `Usage: switchyard ${spec.name} ${spec.synopsis}\n\n${spec.summary}\n\nOptions:\n${rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n')}\n`;
}

/** Parses `argv` against `spec`; an unknown flag, a missing value or a stray argument is a UsageError. */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options = Object.fromEntries(Object.entries(spec.flags).map(([name, flag]) => [name, { type: flag.type, ...(flag.multiple ? { multiple: true } : {}) }]));
  const { values, positionals, tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const see = `See switchyard ${spec.name} --help`;
  if (tokens.some((token) => token.kind === 'option' && HELP_FLAGS.has(token.name))) return { help: true };
  for (const token of tokens) {
    if (token.kind === 'positional' && !spec.positionals) throw new UsageError(`'${spec.name}' takes no arguments, got '${token.value}'. ${see}`);
    if (token.kind !== 'option') continue;
    const flag = spec.flags[token.name];
    const instead = spec.instead?.[token.name];
    if (flag === undefined && instead !== undefined) throw new UsageError(`'${spec.name}' has no ${token.rawName}: ${instead}`);
    if (flag === undefined) throw new UsageError(`Unknown option '${token.rawName}' for '${spec.name}'. ${see}`);
    // Without strict mode parseArgs takes the next argument even when it is another flag.
    const missing = token.value === undefined || (!token.inlineValue && token.value.startsWith('-') && token.value.length > 1 && Number.isNaN(Number(token.value)));
    if (flag.type === 'string' && missing) throw new UsageError(`${token.rawName} needs a value (${token.rawName} ${flag.value ?? 'VALUE'}). ${see}`);
    if (flag.type === 'boolean' && token.value !== undefined) throw new UsageError(`${token.rawName} takes no value, got '${token.value}'. ${see}`);
  }
  return { help: false, values: values as Record<string, string | boolean | string[] | undefined>, positionals };
}
