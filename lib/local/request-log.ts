/**
 * What `switchyard serve` prints while it runs (`--quiet` turns it off): one
 * line per API call — the action, what it acts on, the status and how long
 * it took — and one per execution start and end. Task tokens are never
 * printed: they are credentials (docs/SECURITY.md).
 */
import type { ExecutionObserver, ExecutionRecord } from '../service/ports';

/** Receives each line, without its newline. */
export type LineLog = (line: string) => void;

/** One answered request: the action (`StartExecution`, or `GET /executions/…` for the REST surface), its target, status and duration. */
export interface LoggedCall {
  readonly action: string;
  readonly target?: string;
  readonly status: number;
  readonly ms: number;
}

// The members that name what an action acts on, most specific first. Never taskToken.
const TARGET_MEMBERS = ['executionArn', 'stateMachineArn', 'activityArn', 'resourceArn', 'stateMachineAliasArn', 'stateMachineVersionArn', 'name'] as const;

/** An ARN without its `arn:aws:states:REGION:ACCOUNT:` head, which is the same for everything one server serves. */
export function shortArn(arn: string): string {
  return arn.replace(/^arn:[^:]+:states:[^:]*:[^:]*:/, '');
}

/** The target of a JSON-protocol request body: its ARN (shortened) or name; undefined when it names none. */
export function callTarget(body: string): string | undefined {
  let request: unknown;
  try {
    request = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof request !== 'object' || request === null) return undefined;
  for (const member of TARGET_MEMBERS) {
    const value = (request as Record<string, unknown>)[member];
    if (typeof value === 'string') return shortArn(value);
  }
  return undefined;
}

/** A REST or events request as `METHOD /path`, a task token in the path shown as `…`. */
export function restAction(method: string, path: string): string {
  const pathname = path.split('?')[0].replace(/^\/tasks\/[^/]+/, '/tasks/…');
  return `${method} ${decodeURIComponent(pathname)}`;
}

/** The line for one call: `StartExecution stateMachine:hello-world 200 3 ms`. */
export function callLine(call: LoggedCall): string {
  return [call.action, ...(call.target !== undefined ? [call.target] : []), String(call.status), `${Math.round(call.ms)} ms`].join(' ');
}

/** An observer printing `execution started …` and `execution SUCCEEDED … after N ms`. */
export function executionLineLog(log: LineLog): ExecutionObserver {
  return {
    started(record: ExecutionRecord) {
      log(`execution started ${shortArn(record.info.executionArn)}`);
    },
    finished(record: ExecutionRecord) {
      const after = record.stopDate !== undefined ? ` after ${record.stopDate - record.info.startTime} ms` : '';
      log(`execution ${record.status} ${shortArn(record.info.executionArn)}${after}${record.error !== undefined ? ` (${record.error})` : ''}`);
    },
  };
}

/** One observer telling each of `observers` in turn. */
export function allObservers(observers: readonly ExecutionObserver[]): ExecutionObserver | undefined {
  if (observers.length <= 1) return observers[0];
  return {
    async started(record) {
      for (const o of observers) await o.started?.(record);
    },
    async finished(record) {
      for (const o of observers) await o.finished?.(record);
    },
    async transitioned(record, events) {
      for (const o of observers) await o.transitioned?.(record, events);
    },
  };
}
