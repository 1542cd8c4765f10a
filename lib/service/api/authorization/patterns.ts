/**
 * IAM's wildcard matching: `*` matches any run of characters and `?` any one
 * character. Actions match case-insensitively; ARNs match component by
 * component, case-sensitively.
 */

const cache = new Map<string, RegExp>();

/** The anchored regular expression of the glob `pattern`. */
function globExpression(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = cache.get(key);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
    re = new RegExp(`^${body}$`, ignoreCase ? 'isu' : 'su');
    if (cache.size > 10_000) cache.clear(); // patterns come from policy files: bounded, but never let it grow without end
    cache.set(key, re);
  }
  return re;
}

/** Whether `value` matches the glob `pattern` (`*`, `?`). */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  return globExpression(pattern, ignoreCase).test(value);
}

/** An action name (`states:StartExecution`) against an Action element's entry (`states:Start*`, `*`): case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  return globMatches(pattern, action, true);
}

/** An ARN's six components: arn, partition, service, region, account, and the resource (which may itself hold colons). */
function arnComponents(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/**
 * An ARN against a Resource element's entry or an ArnLike value: "Each of the
 * six colon-delimited components of the ARN is checked separately and each
 * can include multi-character match wildcards (*) or single-character match
 * wildcards (?)." A lone `*` matches every resource; in the resource
 * component a `*` also spans colons (`stateMachine:orders*` matches the
 * version `stateMachine:orders:3`).
 */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = arnComponents(pattern);
  const a = arnComponents(arn);
  if (!p || !a) return globMatches(pattern, arn);
  return p.every((part, i) => globMatches(part, a[i]));
}
