/**
 * Intrinsic functions (`States.Format(...)`, `States.Array(...)`, ... — all 18).
 * Parsed once into a syntax tree by a real tokenizer and parser; evaluated per call.
 */
import type { EvalEnv } from '../env';
import { IntrinsicFailure } from '../errors';
import type { JsonValue } from '../json';
import type { IntrinsicNode } from './ast';
import { FUNCTIONS } from './functions';
import { parseIntrinsic } from './parser';
import { checkArguments } from './signature';

/** A parsed intrinsic function invocation, ready to evaluate many times. */
export interface IntrinsicExpression {
  /** The source text, e.g. `States.Format('Hi {}', $.name)`. */
  readonly source: string;
  /**
   * Evaluates against the state's input (`$`), the context object (`$$` via env)
   * and variables (`$name` via env). Throws `IntrinsicFailure` (States.IntrinsicFailure)
   * with a cause naming the function and the bad argument.
   */
  evaluate(input: JsonValue, env: EvalEnv): JsonValue;
}

/** True when a string is an intrinsic invocation (`States.Xxx(`...). */
export function isIntrinsicInvocation(source: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(source);
}

/**
 * Parses an intrinsic invocation. Throws `DefinitionSyntaxError` for malformed
 * text, unknown functions, wrong argument counts and statically-known bad
 * literals (e.g. ArrayRange over 1,000 items).
 */
export function compileIntrinsic(source: string): IntrinsicExpression {
  const root = parseIntrinsic(source.trim());
  return { source, evaluate: (input, env) => evaluateNode(root, input, env) };
}

function evaluateNode(node: IntrinsicNode, input: JsonValue, env: EvalEnv): JsonValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'path': {
      const value = node.path.select(input, env);
      if (value === undefined) {
        throw new IntrinsicFailure(`The JsonPath argument '${node.path.source}' could not be found in the input '${JSON.stringify(input)}'`);
      }
      return value;
    }
    case 'call': {
      const fn = FUNCTIONS[node.name];
      const args = node.args.map((arg) => evaluateNode(arg, input, env));
      checkArguments(fn, args);
      const result = fn.evaluate(args, env);
      if (result === undefined) throw new IntrinsicFailure(`${node.source} returned no value`);
      return result;
    }
  }
}
