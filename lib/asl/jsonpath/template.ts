/**
 * Payload templates (Parameters, ResultSelector, ItemSelector, Assign in
 * JSONPath states).
 *
 * "If any field within the Payload Template ... has a name ending with the
 * characters ".$", its value is transformed according to rules below and the
 * field is renamed to strip the ".$" suffix" (States Language, Payload
 * Template). Static subtrees are compiled to themselves and shared, never copied.
 */
import { DefinitionSyntaxError } from '../diagnostics';
import type { EvalEnv } from '../env';
import { StatesRuntimeError } from '../errors';
import { compileIntrinsic, isIntrinsicInvocation } from '../intrinsics';
import { setJsonField, type JsonObject, type JsonValue } from '../json';
import { compilePath } from './path';

/** A compiled payload template (Parameters, ResultSelector, ItemSelector, Credentials ...). */
export interface CompiledTemplate {
  /**
   * Builds the payload. Keys ending in `.$` are evaluated as a path or an
   * intrinsic and renamed without the suffix; other values are copied.
   * Throws `States.Runtime` for a path that matches nothing, and
   * `IntrinsicFailure` from intrinsics, with Step Functions' causes.
   */
  evaluate(input: JsonValue, env: EvalEnv): JsonValue;
}

type Node = (input: JsonValue, env: EvalEnv) => JsonValue;

/** Compiles a payload template. Throws `DefinitionSyntaxError` for a bad path or intrinsic in a `.$` key. */
export function compileTemplate(template: JsonValue): CompiledTemplate {
  const node = compileNode(template);
  return { evaluate: node ?? (() => template) };
}

/** Compiles one value; `null` when it holds no `.$` key and evaluates to itself. */
function compileNode(value: JsonValue): Node | null {
  if (Array.isArray(value)) {
    const items = value.map(compileNode);
    if (items.every((item) => item === null)) return null;
    return (input, env) => items.map((item, i) => (item ? item(input, env) : value[i]));
  }
  if (value === null || typeof value !== 'object') return null;
  const fields: { key: string; node: Node | null; literal: JsonValue }[] = [];
  let dynamic = false;
  for (const [key, child] of Object.entries(value)) {
    if (key.endsWith('.$')) {
      fields.push({ key: key.slice(0, -2), node: compileDynamicField(key, child), literal: null });
      dynamic = true;
    } else {
      const node = compileNode(child);
      if (node) dynamic = true;
      fields.push({ key, node, literal: child });
    }
  }
  if (!dynamic) return null;
  return (input, env) => {
    const out: JsonObject = {};
    for (const field of fields) setJsonField(out, field.key, field.node ? field.node(input, env) : field.literal);
    return out;
  };
}

function compileDynamicField(key: string, source: JsonValue): Node {
  if (typeof source !== 'string') {
    throw new DefinitionSyntaxError(
      'SCHEMA_VALIDATION_FAILED',
      `The value for the field '${key}' must be a STRING that contains a JSONPath or an intrinsic function`,
    );
  }
  if (isIntrinsicInvocation(source)) {
    const intrinsic = compileIntrinsic(source);
    return (input, env) => intrinsic.evaluate(input, env);
  }
  const path = compilePath(source);
  return (input, env) => {
    const value = path.select(input, env);
    if (value === undefined) {
      throw new StatesRuntimeError(
        `The JSONPath '${source}' specified for the field '${key}' could not be found in the input '${JSON.stringify(input)}'`,
      );
    }
    return value;
  };
}
