/**
 * Choice rules: JSONPath comparison rules (every operator and its Path form,
 * And/Or/Not) and JSONata `Condition`s, compiled once.
 */
import type { Awaitable } from '../awaitable';
import type { EvalEnv } from '../env';
import type { JsonValue } from '../json';

/** A compiled Choice Rule (the boolean part of a Choices entry, without Next/Assign/Output). */
export interface CompiledCondition {
  /** Evaluates against the state's effective input. JSONata conditions see `$states.input`. */
  evaluate(input: JsonValue, env: EvalEnv): Awaitable<boolean>;
}

/**
 * Compiles one rule. `rule` is the whole Choices entry (or a nested And/Or/Not
 * operand). Throws `DefinitionSyntaxError` for unknown operators, bad paths,
 * or a JSONata Condition that does not parse.
 */
export function compileCondition(rule: JsonValue, queryLanguage: 'JSONPath' | 'JSONata'): CompiledCondition {
  throw new Error(`compileCondition not implemented: ${JSON.stringify(rule)} ${queryLanguage}`);
}
