/**
 * Who may call, and with which policies: a caller policies file maps each
 * caller — by access key id in `switchyard serve --policy`, by principal ARN
 * (wildcards allowed) behind API Gateway — to its policy documents:
 *
 * ```json
 * {
 *   "AKIAORDERSCLIENT": { "Version": "2012-10-17", "Statement": [ … ] },
 *   "AKIAOPERATOR": { "Arn": "arn:aws:iam::123456789012:user/operator", "Policies": [ { … }, { … } ] }
 * }
 * ```
 *
 * A value is one policy document, or `{Arn?, Policies}`: `Arn` is the
 * principal the local server reports for that key (in messages and as
 * `aws:PrincipalArn`). Every entry whose key matches the caller applies.
 */
import { globMatches } from './patterns';
import { parsePolicyDocument, PolicyError, type PolicyDocument } from './policy';

/** One authenticated caller: the name its policies are found by, and its principal ARN. */
export interface Caller {
  /** The access key id (locally) or the principal ARN (behind API Gateway). */
  readonly id: string;
  /** The principal ARN: what an AccessDeniedException names and `aws:PrincipalArn` holds. */
  readonly arn: string;
}

/** One entry of a caller policies file. */
export interface CallerEntry {
  /** The caller's id, or a pattern of ids (`*`, `?`). */
  readonly pattern: string;
  /** The principal ARN to report for this caller, when the file gives one. */
  readonly arn?: string;
  readonly policies: readonly PolicyDocument[];
}

/** A caller policies file, read. */
export interface CallerPolicies {
  readonly entries: readonly CallerEntry[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads a caller policies file's JSON value; PolicyError lists every problem. */
export function parseCallerPolicies(value: unknown): CallerPolicies {
  if (!isObject(value)) throw new PolicyError([`a caller policies file must be an object of callers. Received: ${JSON.stringify(value)}`]);
  const problems: string[] = [];
  const entries: CallerEntry[] = [];
  for (const [pattern, spec] of Object.entries(value)) {
    try {
      if (isObject(spec) && 'Policies' in spec) {
        const list = spec.Policies;
        if (!Array.isArray(list)) throw new PolicyError([`${pattern}.Policies must be a list of policy documents`]);
        const arn = spec.Arn;
        if (arn !== undefined && typeof arn !== 'string') throw new PolicyError([`${pattern}.Arn must be a string`]);
        entries.push({ pattern, ...(arn !== undefined ? { arn } : {}), policies: list.map((p, i) => parsePolicyDocument(p, `${pattern}.Policies[${i}]`)) });
      } else {
        entries.push({ pattern, policies: [parsePolicyDocument(spec, pattern)] });
      }
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length > 0) throw new PolicyError(problems);
  return { entries };
}

/** The entries that apply to the caller with id `id`. */
export function entriesFor(policies: CallerPolicies, id: string): CallerEntry[] {
  return policies.entries.filter((e) => globMatches(e.pattern, id));
}

/** The caller an access key id names in a caller policies file: its `Arn` there, else `arn:aws:iam::<account>:user/<key>`. */
export function callerByAccessKey(policies: CallerPolicies, accessKeyId: string, account: string): Caller {
  const arn = entriesFor(policies, accessKeyId).find((e) => e.arn !== undefined)?.arn;
  return { id: accessKeyId, arn: arn ?? `arn:aws:iam::${account}:user/${accessKeyId}` };
}
