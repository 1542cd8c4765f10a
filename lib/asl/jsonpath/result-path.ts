/**
 * ResultPath: places a state's result into its raw input.
 *
 * "The value of "ResultPath" MUST be a Reference Path, which specifies the
 * raw input's combination with or replacement by the state's result"
 * (States Language, ResultPath). Only the objects along the path are copied;
 * everything else is shared with the input.
 */
import { DefinitionSyntaxError } from '../diagnostics';
import { ResultPathMatchFailure } from '../errors';
import { setJsonField, type JsonObject, type JsonValue } from '../json';
import { parsePath, type PathSegment } from './parse';

/** A compiled ResultPath. `null` discards the result; `$` replaces the input. */
export interface CompiledResultPath {
  readonly source: string | null;
  /**
   * Returns the state output: `input` with `result` placed at the path.
   * Never mutates `input`: copies only the objects along the path.
   * Throws `ResultPathMatchFailure` when the path cannot be applied.
   */
  apply(input: JsonValue, result: JsonValue): JsonValue;
}

/** Compiles a ResultPath (a reference path, `$`, or `null`). Throws `DefinitionSyntaxError`. */
export function compileResultPath(source: string | null): CompiledResultPath {
  // "If the value of ResultPath is null, that means that the state's own raw output is discarded."
  if (source === null) return { source, apply: (input) => input };
  const parsed = parsePath(source);
  if (parsed.root.kind !== 'input' || parsed.segments === null) {
    throw new DefinitionSyntaxError(
      'SCHEMA_VALIDATION_FAILED',
      `The value '${source}' is not a valid ResultPath: it must be a reference path into the state input`,
    );
  }
  const segments = parsed.segments;
  if (segments.length === 0) return { source, apply: (_input, result) => result };
  return {
    source,
    apply(input, result) {
      const output = place(input, segments, 0, result);
      if (output === undefined) {
        throw new ResultPathMatchFailure(`Unable to apply ReferencePath ${source} to input ${JSON.stringify(JSON.stringify(input))}`);
      }
      return output;
    },
  };
}

/** Copy-on-write insert; `undefined` when an intermediate node cannot hold the next segment. */
function place(node: JsonValue | undefined, segments: readonly PathSegment[], i: number, result: JsonValue): JsonValue | undefined {
  if (i === segments.length) return result;
  const segment = segments[i];
  if (typeof segment === 'number') {
    if (!Array.isArray(node) || segment >= node.length) return undefined;
    const child = place(node[segment], segments, i + 1, result);
    if (child === undefined) return undefined;
    const copy = node.slice();
    copy[segment] = child;
    return copy;
  }
  // "...the ResultPath ... may create fields that do not exist in the input."
  if (node === undefined) node = {};
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const child = place(Object.prototype.hasOwnProperty.call(node, segment) ? node[segment] : undefined, segments, i + 1, result);
  if (child === undefined) return undefined;
  const copy: JsonObject = { ...node };
  setJsonField(copy, segment, child);
  return copy;
}
