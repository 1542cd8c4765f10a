/**
 * A state machine's definition at synth time: read from its source (a file,
 * a string, an object or an aws-stepfunctions chain), definition
 * substitutions applied, validated with the project's own validator, and the
 * Lambda functions it invokes found so they can be granted.
 */
import * as fs from 'node:fs';
import { Token } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { validateDefinition } from '../asl/validate';
import { definitionBodyKind } from './definition-body';

/** Where a definition comes from. */
export type DefinitionSource = sfn.DefinitionBody | Record<string, unknown>;

/** A definition ready for deployment: the JSON object (it may hold tokens) and what it invokes. */
export interface PreparedDefinition {
  definition: Record<string, unknown>;
  /** Lambda function ARNs or names its Task states invoke (strings or tokens). */
  functions: string[];
  /** Policy statements an aws-stepfunctions chain asks for (its tasks' permissions). */
  statements: import('aws-cdk-lib/aws-iam').PolicyStatement[];
}

/** Raised at synth with the state machine, the location and the fix in the message. */
export class DefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DefinitionError';
  }
}

const PLACEHOLDER = /\$\{([^}]+)\}/g;
const PLACEHOLDER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:placeholder';

/** Reads the definition from its source; `what` names the state machine in errors. */
export function readDefinition(source: DefinitionSource, what: string): { definition: Record<string, unknown>; statements: PreparedDefinition['statements'] } {
  const body = definitionBodyKind(source);
  if (body.kind === 'object') return { definition: body.definition, statements: [] };
  if (body.kind === 'chain') {
    const graph = new sfn.StateGraph(body.chainable.startState, `State machine ${what}`);
    // The graph leaves unset fields as undefined; the deployed JSON drops them, and so must validation.
    return { definition: withoutUndefined(graph.toGraphJson()) as Record<string, unknown>, statements: graph.policyStatements };
  }
  if (body.kind === 'other') {
    throw new DefinitionError(`${what}: this kind of DefinitionBody is not supported; use DefinitionBody.fromFile, fromString or fromChainable, or pass the definition as an object.`);
  }
  let text: string;
  let origin: string;
  if (body.kind === 'file') {
    origin = body.path;
    try {
      text = fs.readFileSync(body.path, 'utf8');
    } catch (err) {
      throw new DefinitionError(`${what}: cannot read the definition file ${body.path} (${(err as Error).message}). Give DefinitionBody.fromFile the path of an ASL JSON file.`);
    }
  } else {
    origin = 'the definition string';
    text = body.body;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new DefinitionError(`${what}: ${origin} is not valid JSON (${(err as Error).message}). A definition is one JSON object in the Amazon States Language.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new DefinitionError(`${what}: ${origin} must hold a JSON object with StartAt and States.`);
  return { definition: parsed as Record<string, unknown>, statements: [] };
}

/**
 * Applies `${key}` substitutions inside the definition's strings, as Step
 * Functions' DefinitionSubstitutions do. A placeholder without a value and a
 * value no placeholder uses are both errors: each is almost always a typo.
 */
export function substitute(definition: Record<string, unknown>, substitutions: Record<string, string>, what: string): Record<string, unknown> {
  const used = new Set<string>();
  const missing: string[] = [];
  const walk = (value: unknown, at: string): unknown => {
    if (typeof value === 'string') {
      if (Token.isUnresolved(value)) return value;
      return value.replace(PLACEHOLDER, (whole, key: string) => {
        if (!(key in substitutions)) {
          missing.push(`\${${key}} at ${at || '/'}`);
          return whole;
        }
        used.add(key);
        return substitutions[key]!;
      });
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${at}/${i}`));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`)]));
    return value;
  };
  const out = walk(definition, '') as Record<string, unknown>;
  if (missing.length > 0) throw new DefinitionError(`${what}: the definition uses substitutions that have no value: ${missing.join(', ')}. Add them to definitionSubstitutions.`);
  const unknown = Object.keys(substitutions).filter((k) => !used.has(k));
  if (unknown.length > 0) {
    throw new DefinitionError(`${what}: unknown substitution keys ${unknown.map((k) => `'${k}'`).join(', ')}: no \${key} in the definition uses them. Remove them or reference them in the definition.`);
  }
  return out;
}

function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value === null || typeof value !== 'object' || Token.isUnresolved(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)]));
}

/** A copy with every unresolved token replaced by a placeholder ARN, for validation at synth. */
function withoutTokens(value: unknown): unknown {
  if (typeof value === 'string') return Token.isUnresolved(value) ? PLACEHOLDER_ARN : value;
  if (Array.isArray(value)) return value.map(withoutTokens);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutTokens(v)]));
  return value;
}

/** Validates with the project's validator; every error is listed with its location. */
export function checkDefinition(definition: Record<string, unknown>, what: string): void {
  const errors = validateDefinition(withoutTokens(definition)).filter((d) => d.severity === 'ERROR');
  if (errors.length === 0) return;
  const lines = errors.map((d) => `  ${d.code} at ${d.location || '/'}: ${d.message}`);
  throw new DefinitionError(`${what}: the definition is invalid:\n${lines.join('\n')}\nFix the definition; \`npx switchyard validate FILE\` reports the same.`);
}

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:/;
const LAMBDA_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke(\.waitForTaskToken)?$/;

/** The Lambda functions a definition's Task states invoke: a function ARN as Resource, or FunctionName of lambda:invoke. */
export function invokedFunctions(definition: unknown): string[] {
  const found = new Set<string>();
  const visit = (states: unknown): void => {
    if (states === null || typeof states !== 'object') return;
    for (const state of Object.values(states as Record<string, Record<string, unknown>>)) {
      if (state === null || typeof state !== 'object') continue;
      const resource = state.Resource;
      if (typeof resource === 'string' && (Token.isUnresolved(resource) || LAMBDA_ARN.test(resource))) found.add(resource);
      if (typeof resource === 'string' && LAMBDA_INVOKE.test(resource)) {
        const args = (state.Parameters ?? state.Arguments) as Record<string, unknown> | undefined;
        const name = args?.FunctionName;
        if (typeof name === 'string' && !name.startsWith('{%')) found.add(name);
      }
      for (const branch of (state.Branches as { States?: unknown }[] | undefined) ?? []) visit(branch?.States);
      visit((state.ItemProcessor as { States?: unknown } | undefined)?.States ?? (state.Iterator as { States?: unknown } | undefined)?.States);
    }
  };
  visit((definition as { States?: unknown }).States);
  return [...found];
}

/** Reads, substitutes, validates and inspects a definition. */
export function prepareDefinition(source: DefinitionSource, substitutions: Record<string, string>, what: string): PreparedDefinition {
  const read = readDefinition(source, what);
  const definition = substitute(read.definition, substitutions, what);
  checkDefinition(definition, what);
  return { definition, functions: invokedFunctions(definition), statements: read.statements };
}
