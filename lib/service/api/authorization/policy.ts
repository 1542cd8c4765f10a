/**
 * IAM identity-based policy documents as Switchyard reads them: Version,
 * Statement (one or a list) with Sid, Effect, Action or NotAction, Resource
 * or NotResource, and Condition. A document is checked once, when it is
 * loaded, and every problem is reported with where it is; what IAM would
 * take but Switchyard does not evaluate (policy variables, Principal in an
 * identity policy, an unknown condition operator) is refused rather than
 * read wrongly.
 */
import { conditionOperatorOf } from './conditions';

/** One condition block: operator → condition key → the values it is compared with. */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/** One statement, normalized: every element a list. */
export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** `Action` (the statement covers these) or `NotAction` (it covers every other action). */
  readonly actions: { readonly not: boolean; readonly patterns: readonly string[] };
  /** `Resource` or `NotResource`, the same way. */
  readonly resources: { readonly not: boolean; readonly patterns: readonly string[] };
  readonly condition: ConditionBlock;
}

/** A policy document, normalized. */
export interface PolicyDocument {
  readonly statements: readonly PolicyStatement[];
}

/** A policy document that cannot be read; `problems` lists each with where it is. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

const VERSIONS = ['2012-10-17', '2008-10-17'];
const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A string or a list of strings, as a list; anything else is a problem at `where`. */
function stringList(value: unknown, where: string, problems: string[]): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((v) => typeof v === 'string' && v !== '')) {
    problems.push(`${where} must be a non-empty string or a list of them. Received: ${JSON.stringify(value)}`);
    return [];
  }
  return list as string[];
}

/** Condition values may be strings, numbers or booleans in JSON; they compare as strings. */
function conditionValues(value: unknown, where: string, problems: string[]): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
    problems.push(`${where} must be a string, number or boolean, or a list of them. Received: ${JSON.stringify(value)}`);
    return [];
  }
  return list.map(String);
}

/** `Action`/`NotAction` or `Resource`/`NotResource`: exactly one of the pair. */
function element(s: Record<string, unknown>, name: 'Action' | 'Resource', where: string, problems: string[]): PolicyStatement['actions'] {
  const has = name in s;
  const hasNot = `Not${name}` in s;
  if (has === hasNot) {
    problems.push(`${where} must have exactly one of ${name} and Not${name}`);
    return { not: false, patterns: [] };
  }
  const key = has ? name : `Not${name}`;
  const patterns = stringList(s[key], `${where}.${key}`, problems);
  for (const p of patterns) if (p.includes('${')) problems.push(`${where}.${key}: policy variables (${p}) are not supported`);
  return { not: hasNot, patterns };
}

function statementOf(value: unknown, where: string, problems: string[]): PolicyStatement | undefined {
  if (!isObject(value)) {
    problems.push(`${where} must be an object. Received: ${JSON.stringify(value)}`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!STATEMENT_KEYS.includes(key)) problems.push(`${where}.${key} is not supported in an identity-based policy (supported: ${STATEMENT_KEYS.join(', ')})`);
  }
  const effect = value.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') problems.push(`${where}.Effect must be "Allow" or "Deny". Received: ${JSON.stringify(effect)}`);
  const actions = element(value, 'Action', where, problems);
  const resources = element(value, 'Resource', where, problems);
  const condition: Record<string, Record<string, string[]>> = {};
  if (value.Condition !== undefined) {
    if (!isObject(value.Condition)) problems.push(`${where}.Condition must be an object`);
    else {
      for (const [operator, keys] of Object.entries(value.Condition)) {
        if (!conditionOperatorOf(operator)) problems.push(`${where}.Condition: the operator ${operator} is not supported`);
        if (!isObject(keys)) {
          problems.push(`${where}.Condition.${operator} must be an object of condition keys`);
          continue;
        }
        condition[operator] = Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, conditionValues(v, `${where}.Condition.${operator}.${k}`, problems)]));
      }
    }
  }
  const sid = typeof value.Sid === 'string' ? value.Sid : undefined;
  return { ...(sid !== undefined ? { sid } : {}), effect: effect === 'Deny' ? 'Deny' : 'Allow', actions, resources, condition };
}

/** Reads one policy document (`where` names it in problems); PolicyError lists everything wrong with it. */
export function parsePolicyDocument(value: unknown, where = 'policy'): PolicyDocument {
  const problems: string[] = [];
  if (!isObject(value)) throw new PolicyError([`${where} must be a policy document object. Received: ${JSON.stringify(value)}`]);
  if (value.Version !== undefined && !VERSIONS.includes(value.Version as string)) problems.push(`${where}.Version must be one of ${VERSIONS.join(', ')}. Received: ${JSON.stringify(value.Version)}`);
  for (const key of Object.keys(value)) if (key !== 'Version' && key !== 'Statement' && key !== 'Id') problems.push(`${where}.${key} is not an element of a policy document`);
  const raw = value.Statement;
  if (raw === undefined) problems.push(`${where}.Statement is required`);
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const statements = list.map((s, i) => statementOf(s, `${where}.Statement[${i}]`, problems)).filter((s): s is PolicyStatement => s !== undefined);
  if (problems.length > 0) throw new PolicyError(problems);
  return { statements };
}
