/**
 * Choice rules: JSONPath comparison rules (every operator and its Path form,
 * And/Or/Not) and JSONata `Condition`s, compiled once.
 */
import type { Awaitable } from '../awaitable';
import { DefinitionSyntaxError } from '../diagnostics';
import type { EvalEnv } from '../env';
import { QueryEvaluationError, StatesRuntimeError } from '../errors';
import { isJsonObject, type JsonObject, type JsonValue } from '../json';
import { compileJsonata } from '../jsonata';
import { compilePath, type CompiledPath } from '../jsonpath';
import { COMPARISONS, hasOperandType, TYPE_TESTS, wildcard } from './operators';

/** A compiled Choice Rule (the boolean part of a Choices entry, without Next/Assign/Output). */
export interface CompiledCondition {
  /** Evaluates against the state's effective input. JSONata conditions see `$states.input`. */
  evaluate(input: JsonValue, env: EvalEnv): Awaitable<boolean>;
}

/** Fields of a Choices entry that are not part of the boolean rule. */
const NON_RULE_FIELDS = new Set(['Next', 'Comment', 'Assign', 'Output', 'Variable']);

/**
 * Compiles one rule. `rule` is the whole Choices entry (or a nested And/Or/Not
 * operand). Throws `DefinitionSyntaxError` for unknown operators, bad paths,
 * or a JSONata Condition that does not parse.
 */
export function compileCondition(rule: JsonValue, queryLanguage: 'JSONPath' | 'JSONata'): CompiledCondition {
  if (!isJsonObject(rule)) throw invalid('A Choice Rule must be a JSON object');
  return queryLanguage === 'JSONata' ? compileJsonataCondition(rule) : compileJsonPathRule(rule);
}

/** JSONata: "Condition ... must evaluate to a boolean". */
function compileJsonataCondition(rule: JsonObject): CompiledCondition {
  if (rule.Condition === undefined) throw invalid("A Choice Rule in a JSONata state must have a 'Condition' field");
  const condition = compileJsonata(rule.Condition, 'Condition');
  const source = typeof rule.Condition === 'string' ? rule.Condition : JSON.stringify(rule.Condition);
  return {
    evaluate: (input, env) =>
      condition.evaluate({ input }, env).then((value) => {
        if (typeof value !== 'boolean') {
          throw new QueryEvaluationError(
            `The Condition field '${source}' returned a value of type ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}, but a boolean was expected.`,
          );
        }
        return value;
      }),
  };
}

function compileJsonPathRule(rule: JsonObject): CompiledCondition {
  const operators = Object.keys(rule).filter((key) => !NON_RULE_FIELDS.has(key));
  if (operators.length !== 1) {
    throw invalid(
      operators.length === 0
        ? 'A Choice Rule must have exactly one comparison operator, And, Or or Not'
        : `A Choice Rule must have exactly one comparison operator, but has ${operators.join(', ')}`,
    );
  }
  const op = operators[0];
  const operand = rule[op];
  if (op === 'And' || op === 'Or') {
    if (rule.Variable !== undefined) throw invalid(`A Choice Rule with '${op}' must not have a Variable`);
    if (!Array.isArray(operand) || operand.length === 0) throw invalid(`The value of '${op}' must be a non-empty array of Choice Rules`);
    const parts = operand.map((r) => compileCondition(r, 'JSONPath'));
    return op === 'And' ? all(parts) : any(parts);
  }
  if (op === 'Not') {
    if (rule.Variable !== undefined) throw invalid("A Choice Rule with 'Not' must not have a Variable");
    const inner = compileCondition(operand, 'JSONPath');
    return {
      evaluate(input, env) {
        const value = inner.evaluate(input, env);
        return value instanceof Promise ? value.then((v) => !v) : !value;
      },
    };
  }
  if (typeof rule.Variable !== 'string') throw invalid(`The Choice Rule with '${op}' must have a Variable that is a path`);
  const variable = compilePath(rule.Variable, { reference: true });
  const typeTest = TYPE_TESTS[op];
  if (typeTest) {
    if (typeof operand !== 'boolean') throw invalid(`The value of '${op}' must be a boolean`);
    const isPresent = op === 'IsPresent';
    return {
      evaluate(input, env) {
        const value = isPresent ? variable.select(input, env) : read(variable, input, env);
        return typeTest(value) === operand;
      },
    };
  }
  const isPathForm = op.endsWith('Path') && COMPARISONS[op.slice(0, -4)] !== undefined;
  const comparison = COMPARISONS[isPathForm ? op.slice(0, -4) : op];
  if (!comparison) throw invalid(`'${op}' is not a Choice Rule operator`);
  if (isPathForm) {
    if (typeof operand !== 'string') throw invalid(`The value of '${op}' must be a path`);
    const other = compilePath(operand, { reference: true });
    return {
      evaluate(input, env) {
        const value = read(variable, input, env);
        const against = read(other, input, env);
        return hasOperandType(value, comparison.operand) && hasOperandType(against, comparison.operand) && comparison.compare(value, against);
      },
    };
  }
  if (!hasOperandType(operand, comparison.operand)) {
    throw invalid(`The value of '${op}' must be ${comparison.operand === 'timestamp' ? 'an RFC 3339 timestamp string' : `a ${comparison.operand}`}`);
  }
  if (op === 'StringMatches') wildcard(operand as string); // compile the pattern once, now
  return {
    evaluate(input, env) {
      const value = read(variable, input, env);
      // A value of another type does not match: "the interpreter ... returns false".
      return hasOperandType(value, comparison.operand) && comparison.compare(value, operand);
    },
  };
}

/** Reads a rule's path; a path that matches nothing is a run-time error, as on Step Functions. */
function read(path: CompiledPath, input: JsonValue, env: EvalEnv): JsonValue {
  const value = path.select(input, env);
  if (value === undefined) {
    throw new StatesRuntimeError(`Invalid path '${path.source}': The choice state's condition path references an invalid value.`);
  }
  return value;
}

function all(parts: CompiledCondition[]): CompiledCondition {
  return {
    evaluate(input, env) {
      for (let i = 0; i < parts.length; i++) {
        const v = parts[i].evaluate(input, env);
        if (v instanceof Promise) return settle(v, parts.slice(i + 1), input, env, true);
        if (!v) return false;
      }
      return true;
    },
  };
}

function any(parts: CompiledCondition[]): CompiledCondition {
  return {
    evaluate(input, env) {
      for (let i = 0; i < parts.length; i++) {
        const v = parts[i].evaluate(input, env);
        if (v instanceof Promise) return settle(v, parts.slice(i + 1), input, env, false);
        if (v) return true;
      }
      return false;
    },
  };
}

/** Finishes And (`conjunction`) or Or asynchronously once one operand returned a promise. */
async function settle(first: Promise<boolean>, rest: CompiledCondition[], input: JsonValue, env: EvalEnv, conjunction: boolean): Promise<boolean> {
  if ((await first) !== conjunction) return !conjunction;
  for (const part of rest) if ((await part.evaluate(input, env)) !== conjunction) return !conjunction;
  return conjunction;
}

function invalid(message: string): DefinitionSyntaxError {
  return new DefinitionSyntaxError('SCHEMA_VALIDATION_FAILED', message);
}
