/**
 * Bounds on how deeply a definition nests, checked before anything walks it.
 *
 * The validator and the compilers (templates, choice rules, JSONata fields,
 * nested scopes) recurse over the definition, so a definition nested deeply
 * enough would exhaust the call stack ("Maximum call stack size exceeded")
 * instead of being reported. This check walks iteratively, with its own
 * stack, and stops at the first place a limit is passed.
 */
import type { Diagnostic } from '../diagnostics';
import { pointerSegment } from './values';

/**
 * The deepest nesting of state scopes (Parallel branches, Map item
 * processors) accepted below the machine's own. Real workflows nest a handful of levels; 100 keeps
 * every per-scope recursion (validate, compile, the engine's frame tree) far
 * from the stack limit, since each scope level costs several calls.
 */
export const MAX_SCOPE_DEPTH = 100;

/**
 * The deepest nesting of JSON objects and arrays accepted anywhere in a
 * definition (payload templates, Choice rules with And/Or/Not, ...). The
 * recursive walkers spend two or three calls per level, so 1,000 levels stay
 * well inside Node's default stack, and no sensible definition comes close.
 */
export const MAX_JSON_DEPTH = 1000;

/** What a container is in the definition: a scope, its `States`, one state, or plain data. */
type Role = 'scope' | 'states' | 'state' | 'data';

interface Entry {
  readonly value: unknown;
  readonly parent: Entry | undefined;
  readonly key: string;
  readonly role: Role;
  readonly jsonDepth: number;
  readonly scopeDepth: number;
}

/**
 * The diagnostic for the first place `definition` nests past
 * {@link MAX_SCOPE_DEPTH} scopes or {@link MAX_JSON_DEPTH} JSON levels;
 * `undefined` when it stays within both.
 */
export function checkNesting(definition: unknown): Diagnostic | undefined {
  const stack: Entry[] = [{ value: definition, parent: undefined, key: '', role: 'scope', jsonDepth: 1, scopeDepth: 0 }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const { value } = entry;
    if (value === null || typeof value !== 'object') continue;
    if (entry.jsonDepth > MAX_JSON_DEPTH) {
      return tooDeep(entry, `The definition nests JSON objects and arrays more than ${MAX_JSON_DEPTH} levels deep`);
    }
    if (entry.role === 'scope' && entry.scopeDepth > MAX_SCOPE_DEPTH) {
      return tooDeep(entry, `The definition nests Parallel and Map states more than ${MAX_SCOPE_DEPTH} levels deep`);
    }
    const isArray = Array.isArray(value);
    for (const [key, child] of Object.entries(value)) {
      if (child === null || typeof child !== 'object') continue;
      const role = isArray ? (entry.key === 'Branches' && entry.role === 'data' && entry.parent?.role === 'state' ? 'scope' : 'data') : childRole(entry.role, key);
      const scopeDepth = role === 'scope' ? entry.scopeDepth + 1 : entry.scopeDepth;
      stack.push({ value: child, parent: entry, key, role, jsonDepth: entry.jsonDepth + 1, scopeDepth });
    }
  }
  return undefined;
}

/** The role of an object's field `key`, given the object's role. */
function childRole(role: Role, key: string): Role {
  if (role === 'scope') return key === 'States' ? 'states' : 'data';
  if (role === 'states') return 'state';
  if (role === 'state' && (key === 'ItemProcessor' || key === 'Iterator')) return 'scope';
  return 'data';
}

function tooDeep(entry: Entry, message: string): Diagnostic {
  const segments: string[] = [];
  for (let e: Entry | undefined = entry; e?.parent !== undefined; e = e.parent) segments.push(pointerSegment(e.key));
  return { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', location: segments.reverse().map((s) => `/${s}`).join(''), message };
}
