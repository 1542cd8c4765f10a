/**
 * What an EXPRESS state machine's definition may not hold. Express
 * executions are not kept between state transitions, so nothing can wait
 * for a task token or an activity worker, nor for a job to end: Step
 * Functions refuses such definitions when the state machine is created or
 * updated, with InvalidDefinition and these messages.
 */
import type { CompiledStateMachine } from '../asl/model';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';

/** Why a Task's Resource is refused in an Express state machine (the service's words), or undefined. */
function refusal(resource: string): string | undefined {
  // The service's message for .waitForTaskToken has two spaces before "at"; for .sync, one.
  if (resource.endsWith('.waitForTaskToken')) return "Express state machine does not support '.waitForTaskToken' service integration  at";
  const sync = /\.sync(?::\d+)?$/.exec(resource);
  if (sync) return `Express state machine does not support '${sync[0]}' service integration at`;
  if (/^arn:aws[a-z-]*:states:[^:]*:[^:]*:activity:/.test(resource)) return 'Express state machine does not support Activity ARN at';
  return undefined;
}

/** Throws InvalidDefinition, as the service does, for the first Task an Express state machine cannot run. */
export function checkExpressDefinition(machine: CompiledStateMachine): void {
  for (const scope of machine.scopes.values()) {
    for (const [name, state] of scope.states) {
      if (state.type !== 'Task') continue;
      const why = refusal(state.resource);
      if (why) throw new ServiceError(ServiceErrorName.InvalidDefinition, `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: ${why} ${scope.pointer}/States/${name}/Resource'`);
    }
  }
}
