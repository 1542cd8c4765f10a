import type { JsonObject, JsonValue } from './json';

/**
 * The context object (`$$` in JSONPath, `$states.context` in JSONata).
 * Field names are Step Functions' own.
 */
export interface ContextObject extends JsonObject {
  Execution: JsonObject & {
    Id: string;
    Input: JsonValue;
    Name: string;
    RoleArn: string;
    StartTime: string;
    RedriveCount: number;
  };
  State: JsonObject & { EnteredTime: string; Name: string; RetryCount: number };
  StateMachine: JsonObject & { Id: string; Name: string };
}

/**
 * Everything an expression may read besides its input. Compiled paths,
 * templates, intrinsics, JSONata and choice rules receive one of these.
 *
 * `context` is a function so that the context object is only built for the
 * expressions that reference `$$`; it must return the same object on every
 * call within one evaluation.
 */
export interface EvalEnv {
  /** The context object of the state being evaluated. */
  context(): ContextObject;
  /**
   * One top-level member of the context object (`Execution`, `State`,
   * `StateMachine`, `Task`, `Map`), when the environment can build it alone:
   * `$$.Map.Item.Value` in a Map's ItemSelector then costs one small object
   * per item, not the whole context.
   */
  contextMember?(name: string): JsonValue | undefined;
  /** Variables visible to the state: its own scope over its enclosing scopes. Read-only. */
  readonly variables: Readonly<Record<string, JsonValue>>;
  /**
   * A deterministic random source in [0, 1): seeded from the execution, frame
   * and version, so a replayed transition draws the same numbers
   * (States.UUID, $uuid(), $random(), retry jitter).
   */
  random(): number;
}

/** Extra JSONata bindings under `$states`; only some are defined at each evaluation point. */
export interface JsonataStates {
  input?: JsonValue;
  result?: JsonValue;
  errorOutput?: JsonValue;
}
