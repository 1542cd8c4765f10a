/**
 * Intrinsic function signatures as data: argument counts and types, checked
 * on literals when the definition is compiled and on every value at run time.
 */
import type { EvalEnv } from '../env';
import { IntrinsicFailure } from '../errors';
import { jsonTypeOf, type JsonValue } from '../json';
import type { IntrinsicNode } from './ast';
import { syntax } from './lexer';

/** What an argument must be. `integer` is a number without a fraction. */
export type ArgType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'any';

/** One intrinsic function: its signature and its evaluation. */
export interface IntrinsicFunction {
  readonly name: string;
  /** Types of the positional arguments. */
  readonly params: readonly ArgType[];
  /** How many of `params` may be left out at the end (e.g. MathRandom's seed). */
  readonly optional?: number;
  /** The type of any further arguments, for variadic functions (Array, Format). */
  readonly rest?: ArgType;
  /** Extra checks of the argument values; returns a problem or undefined. At compile time it sees literals, with `undefined` for arguments not yet known. */
  readonly check?: (args: readonly (JsonValue | undefined)[]) => string | undefined;
  readonly evaluate: (args: readonly JsonValue[], env: EvalEnv) => JsonValue;
}

function isType(value: JsonValue, type: ArgType): boolean {
  switch (type) {
    case 'any':
      return true;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    default:
      return jsonTypeOf(value) === type;
  }
}

function describe(type: ArgType): string {
  return type === 'any' ? 'any JSON value' : type === 'array' || type === 'object' || type === 'integer' ? `an ${type}` : `a ${type}`;
}

function arity(fn: IntrinsicFunction, count: number): string | undefined {
  const max = fn.params.length;
  const min = max - (fn.optional ?? 0);
  if (fn.rest !== undefined) return count < min ? `${fn.name} expects at least ${min} argument${min === 1 ? '' : 's'}, found ${count}` : undefined;
  if (count < min || count > max) {
    const expected = min === max ? `${max}` : `${min} to ${max}`;
    return `${fn.name} expects ${expected} argument${max === 1 ? '' : 's'}, found ${count}`;
  }
  return undefined;
}

function typeProblem(fn: IntrinsicFunction, index: number, value: JsonValue): string | undefined {
  const type = index < fn.params.length ? fn.params[index] : fn.rest;
  if (type === undefined || isType(value, type)) return undefined;
  return `The argument ${index + 1} of ${fn.name} must be ${describe(type)}, but was ${jsonTypeOf(value)}: ${JSON.stringify(value)}`;
}

/** Compile-time checks: arity, literal argument types and literal values. */
export function checkStaticArguments(fn: IntrinsicFunction, node: Extract<IntrinsicNode, { kind: 'call' }>, source: string): void {
  const count = arity(fn, node.args.length);
  if (count) throw syntax(source, 0, count);
  const literals = node.args.map((arg) => (arg.kind === 'literal' ? arg.value : undefined));
  literals.forEach((value, i) => {
    if (value === undefined) return;
    const problem = typeProblem(fn, i, value);
    if (problem) throw syntax(source, 0, problem);
  });
  if (fn.check) {
    const problem = fn.check(literals);
    if (problem) throw syntax(source, 0, problem);
  }
}

/** Run-time checks; throws States.IntrinsicFailure. */
export function checkArguments(fn: IntrinsicFunction, args: readonly JsonValue[]): void {
  for (let i = 0; i < args.length; i++) {
    const problem = typeProblem(fn, i, args[i]);
    if (problem) throw new IntrinsicFailure(problem);
  }
  if (fn.check) {
    const problem = fn.check(args);
    if (problem) throw new IntrinsicFailure(problem);
  }
}
