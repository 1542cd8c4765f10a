/**
 * The longest one run of a state machine can last, when its definition
 * bounds it. A store lets the items an execution writes while it runs expire
 * that long (and a day's slack) after each write instead of a year
 * (lib/aws/dynamodb/expiry.ts), so an execution that ends soon needs no
 * write per item to shorten their expiry — that settling cost a 5-task
 * workflow about as much as all its transitions' frame writes.
 *
 * Bounded: a top level without a loop whose states are Pass, Choice,
 * Succeed, Fail, Wait with a static Seconds, and synchronous Lambda tasks.
 * Each Lambda attempt ends within {@link LAMBDA_ATTEMPT_SECONDS} (its
 * TimeoutSeconds if smaller), each retrier adds its attempts and their waits.
 * Anything else — a callback or `.sync` task, another integration, an
 * activity, a Parallel or Map, a Wait on a path or a timestamp, a loop — is
 * unbounded here, and the definition's own TimeoutSeconds (if any) is the bound.
 */
import type { CompiledRetrier, CompiledScope, CompiledState, CompiledStateMachine } from '../asl/model';

/**
 * How long one Lambda attempt can take, at most: the function's 15-minute
 * limit, then the lost-worker wait of a task invoker that died in it (16
 * minutes after the claim) and the invoker queue's redelivery — an hour
 * leaves room for all of it.
 */
export const LAMBDA_ATTEMPT_SECONDS = 3_600;

/** A synchronous Lambda invocation: the function's ARN, or the optimised integration without a callback. */
const LAMBDA = /^arn:[^:]+:lambda:|^arn:[^:]+:states:::lambda:invoke$/;

const bounds = new WeakMap<CompiledStateMachine, number | undefined>();

/** The longest a run can last in seconds: the definition's TimeoutSeconds or what its states bound, the smaller; undefined when neither bounds it. */
export function runBoundSeconds(machine: CompiledStateMachine): number | undefined {
  if (!bounds.has(machine)) {
    const top = machine.scopes.get('');
    const states = top ? scopeBound(top) : undefined;
    const known = [machine.timeoutSeconds, states].filter((s): s is number => s !== undefined);
    bounds.set(machine, known.length > 0 ? Math.min(...known) : undefined);
  }
  return bounds.get(machine);
}

/** The longest path through a scope's states, or undefined when a state is unbounded or a path loops. */
function scopeBound(scope: CompiledScope): number | undefined {
  const memo = new Map<string, number | undefined>();
  const visiting = new Set<string>();
  const from = (name: string): number | undefined => {
    if (memo.has(name)) return memo.get(name);
    const state = scope.states.get(name);
    if (!state || visiting.has(name)) return undefined; // a loop: as long as its data keeps it going
    visiting.add(name);
    let longest: number | undefined = stateBound(state);
    for (const next of successors(state)) {
      if (longest === undefined) break;
      const rest = from(next);
      longest = rest === undefined ? undefined : Math.max(longest, stateBound(state)! + rest);
    }
    visiting.delete(name);
    memo.set(name, longest);
    return longest;
  };
  return from(scope.startAt);
}

/** Where a state can go next: Next, a Choice's rules and Default, its catchers. */
function successors(state: CompiledState): string[] {
  const out = state.next !== undefined ? [state.next] : [];
  if (state.type === 'Choice') {
    out.push(...state.choices.map((c) => c.next));
    if (state.default !== undefined) out.push(state.default);
  }
  if (state.type === 'Task') out.push(...state.catch.map((c) => c.next));
  return out;
}

/** The longest one state can take, or undefined when nothing bounds it. */
function stateBound(state: CompiledState): number | undefined {
  switch (state.type) {
    case 'Pass':
    case 'Choice':
    case 'Succeed':
    case 'Fail':
      return 0;
    case 'Wait':
      return typeof state.seconds?.staticValue === 'number' ? state.seconds.staticValue : undefined;
    case 'Task': {
      if (state.integration !== 'REQUEST_RESPONSE' || !LAMBDA.test(state.resource)) return undefined;
      const timeout = state.timeoutSeconds?.staticValue;
      const attempt = typeof timeout === 'number' ? Math.min(timeout, LAMBDA_ATTEMPT_SECONDS) : LAMBDA_ATTEMPT_SECONDS;
      return state.retry.reduce((total, r) => total + r.maxAttempts * attempt + retryWaits(r), attempt);
    }
    default:
      return undefined;
  }
}

/** A retrier's waits before each of its attempts, at their longest (no jitter shortens them). */
function retryWaits(r: CompiledRetrier): number {
  let total = 0;
  for (let k = 0; k < r.maxAttempts; k++) total += Math.min(r.intervalSeconds * r.backoffRate ** k, r.maxDelaySeconds ?? Infinity);
  return total;
}
