/**
 * Builds the evaluation environment of a state: the context object (built
 * lazily, only when an expression reads `$$`), the visible variables, and the
 * transition's deterministic random source.
 */
import type { ContextObject, EvalEnv } from '../asl/env';
import type { JsonObject, JsonValue } from '../asl/json';
import type { ExecutionInfo } from './execution';
import type { Frame } from './frame';
import { seededRandom } from '../asl/random';

export interface EnvExtras {
  /** `$$.Task.Token` while a task attempt is being prepared. */
  taskToken?: string;
  /** `$$.Map.Item` while an ItemSelector is evaluated. */
  mapItem?: { index: number; value: JsonValue };
}

let lastIsoMs = NaN;
let lastIso = '';

/** ISO 8601 text of a timestamp; the last one is cached, since a Map's iterations all ask for the same few. */
export function iso(ms: number): string {
  if (ms === lastIsoMs) return lastIso;
  lastIsoMs = ms;
  return (lastIso = new Date(ms).toISOString());
}

/** The variables a frame sees: its own over its enclosing scopes'. */
export function visibleVariables(frame: Frame): Record<string, JsonValue> {
  if (!frame.outerVars) return frame.vars;
  if (Object.keys(frame.vars).length === 0) return frame.outerVars;
  return { ...frame.outerVars, ...frame.vars };
}

/**
 * The environment of one evaluation. A class rather than an object of
 * closures: one allocation per state, and the context object and variable
 * view are only built when an expression asks for them.
 */
class StateEnv implements EvalEnv {
  private contextObject: ContextObject | undefined;
  private visible: Record<string, JsonValue> | undefined;

  constructor(
    private readonly execution: ExecutionInfo,
    private readonly frame: Frame,
    private readonly extras: EnvExtras | undefined,
    private readonly rng: () => number,
  ) {}

  get variables(): Record<string, JsonValue> {
    return (this.visible ??= visibleVariables(this.frame));
  }

  random(): number {
    return this.rng();
  }

  context(): ContextObject {
    return (this.contextObject ??= buildContext(this.execution, this.frame, this.extras));
  }

  contextMember(name: string): JsonValue | undefined {
    const whole = this.contextObject as unknown as Record<string, JsonValue> | undefined;
    if (whole) return Object.prototype.hasOwnProperty.call(whole, name) ? whole[name] : undefined;
    return contextMember(this.execution, this.frame, this.extras, name);
  }
}

export function buildEnv(execution: ExecutionInfo, frame: Frame, extras?: EnvExtras, random?: () => number): EvalEnv {
  return new StateEnv(execution, frame, extras, random ?? seededRandom(`${execution.executionArn}|${frame.id}|${frame.version}`));
}

function buildContext(execution: ExecutionInfo, frame: Frame, extras: EnvExtras | undefined): ContextObject {
  const ctx: Record<string, JsonValue> = {
    Execution: contextMember(execution, frame, extras, 'Execution')!,
    State: contextMember(execution, frame, extras, 'State')!,
    StateMachine: contextMember(execution, frame, extras, 'StateMachine')!,
  };
  const task = contextMember(execution, frame, extras, 'Task');
  if (task !== undefined) ctx.Task = task;
  const map = contextMember(execution, frame, extras, 'Map');
  if (map !== undefined) ctx.Map = map;
  return ctx as unknown as ContextObject;
}

/** One top-level member of the context object (undefined when the state has none of that name). */
function contextMember(execution: ExecutionInfo, frame: Frame, extras: EnvExtras | undefined, name: string): JsonValue | undefined {
  switch (name) {
    case 'Execution':
      return {
        Id: execution.executionArn,
        Input: execution.input,
        Name: execution.name,
        RoleArn: execution.roleArn,
        StartTime: iso(execution.startTime),
        RedriveCount: execution.redriveCount,
      };
    case 'State':
      return { EnteredTime: iso(frame.enteredAt), Name: frame.state, RetryCount: frame.retries.reduce((a, b) => a + b, 0) };
    case 'StateMachine':
      return { Id: execution.stateMachineArn, Name: execution.stateMachineName };
    case 'Task':
      return extras?.taskToken !== undefined ? { Token: extras.taskToken } : undefined;
    case 'Map':
      return extras?.mapItem ? { Item: { Index: extras.mapItem.index, Value: extras.mapItem.value } as JsonObject } : undefined;
    default:
      return undefined;
  }
}
