/** Reading the definition and input the user names, with clear messages for every way that can fail. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../asl/diagnostics';
import type { JsonValue } from '../asl/json';
import { UsageError } from './io';

/** Reads a file relative to `cwd`, or throws a UsageError naming it. */
export function readText(file: string, cwd: string, what: string): string {
  try {
    return fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`Cannot read the ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

/** Parses JSON text, or throws a UsageError naming what it is. */
export function parseJson(text: string, what: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw new UsageError(`The ${what} is not valid JSON: ${(err as Error).message}`);
  }
}

/** The execution input from `--input` or `--input-file`; `{}` when neither is given. */
export function loadInput(inline: string | undefined, file: string | undefined, cwd: string): JsonValue {
  if (inline !== undefined && file !== undefined) throw new UsageError('Use either --input or --input-file, not both');
  if (inline !== undefined) return parseJson(inline, 'input given with --input');
  if (file !== undefined) return parseJson(readText(file, cwd, 'input file'), `input file ${file}`);
  return {};
}

/** One line per diagnostic: `CODE at LOCATION: message`. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${d.severity === 'WARNING' ? 'warning: ' : ''}${d.code} at ${d.location || '/'}: ${d.message}`).join('\n') + '\n';
}
