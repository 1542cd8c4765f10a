/**
 * The Condition element: each operator as data (how one policy value
 * compares with one request value, and whether it is negated), with IAM's
 * `…IfExists` suffix, the `ForAllValues:`/`ForAnyValue:` set qualifiers and
 * the `Null` check. "If you specify multiple condition operators, or
 * multiple keys to a single condition operator, the conditions are
 * evaluated using a logical AND"; the values of one key are ORed.
 */
import { arnMatches, globMatches } from './patterns';
import type { ConditionBlock } from './policy';

/** A request's condition keys, by lower-case name (IAM key names are case-insensitive), each with its values. */
export type ConditionContext = ReadonlyMap<string, readonly string[]>;

interface Comparison {
  /** Whether the request value matches the policy value. */
  readonly matches: (policyValue: string, requestValue: string) => boolean;
  /** A negated operator is true when no policy value matches (and when the key is absent). */
  readonly negated: boolean;
}

const equals = (p: string, r: string): boolean => p === r;
const equalsIgnoringCase = (p: string, r: string): boolean => p.toLowerCase() === r.toLowerCase();
const like = (p: string, r: string): boolean => globMatches(p, r);

/** The operators Switchyard evaluates (the string, ARN and Bool families). */
const COMPARISONS: Readonly<Record<string, Comparison>> = {
  StringEquals: { matches: equals, negated: false },
  StringNotEquals: { matches: equals, negated: true },
  StringEqualsIgnoreCase: { matches: equalsIgnoringCase, negated: false },
  StringNotEqualsIgnoreCase: { matches: equalsIgnoringCase, negated: true },
  StringLike: { matches: like, negated: false },
  StringNotLike: { matches: like, negated: true },
  ArnEquals: { matches: arnMatches, negated: false },
  ArnLike: { matches: arnMatches, negated: false },
  ArnNotEquals: { matches: arnMatches, negated: true },
  ArnNotLike: { matches: arnMatches, negated: true },
  Bool: { matches: equalsIgnoringCase, negated: false },
};

type SetQualifier = 'ForAllValues' | 'ForAnyValue' | undefined;

/** An operator name read: its set qualifier, comparison and IfExists; `Null` is its own kind. */
type Operator = { kind: 'null' } | { kind: 'compare'; set: SetQualifier; comparison: Comparison; ifExists: boolean };

/** The operator `name` (`ForAnyValue:StringLike`, `ArnLikeIfExists`, `Null`), or undefined when it is not supported. */
export function conditionOperatorOf(name: string): Operator | undefined {
  if (name === 'Null') return { kind: 'null' };
  const [, qualifier, rest] = /^(?:(ForAllValues|ForAnyValue):)?(.*)$/.exec(name) ?? [];
  const ifExists = rest.endsWith('IfExists');
  const comparison = COMPARISONS[ifExists ? rest.slice(0, -'IfExists'.length) : rest];
  if (!comparison) return undefined;
  return { kind: 'compare', set: qualifier as SetQualifier, comparison, ifExists };
}

/** One key of one operator against the request's values of that key (undefined: the key is absent). */
function keyHolds(op: Operator, policyValues: readonly string[], requestValues: readonly string[] | undefined): boolean {
  if (op.kind === 'null') return policyValues.some((v) => (v.toLowerCase() === 'true') === (requestValues === undefined));
  const { comparison, set, ifExists } = op;
  const present = requestValues !== undefined && requestValues.length > 0;
  if (!present) {
    // "ForAllValues … returns true if there are no keys in the request"; ForAnyValue then returns false.
    if (set === 'ForAllValues') return true;
    if (set === 'ForAnyValue') return false;
    // "If the policy condition requires that the key is not matched … and the right key is not present, the condition is true."
    return ifExists || comparison.negated;
  }
  const matchesAny = (r: string): boolean => policyValues.some((p) => comparison.matches(p, r));
  const holdsFor = (r: string): boolean => (comparison.negated ? !matchesAny(r) : matchesAny(r));
  if (set === 'ForAllValues') return requestValues.every(holdsFor);
  if (set === 'ForAnyValue') return requestValues.some(holdsFor);
  return comparison.negated ? !requestValues.some(matchesAny) : requestValues.some(matchesAny);
}

/** Whether a statement's Condition holds for the request (an empty one always does). */
export function conditionHolds(block: ConditionBlock, context: ConditionContext): boolean {
  for (const [name, keys] of Object.entries(block)) {
    const op = conditionOperatorOf(name);
    if (!op) return false; // refused when the policy was read; never grant on an operator not understood
    for (const [key, values] of Object.entries(keys)) {
      if (!keyHolds(op, values, context.get(key.toLowerCase()))) return false;
    }
  }
  return true;
}

/** Whether any statement of `blocks` names a condition key starting with `prefix` (lower case), e.g. to fetch resource tags only when a policy reads them. */
export function readsConditionKey(blocks: readonly ConditionBlock[], prefix: string): boolean {
  return blocks.some((b) => Object.values(b).some((keys) => Object.keys(keys).some((k) => k.toLowerCase().startsWith(prefix))));
}
