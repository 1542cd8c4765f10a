/**
 * The schedule function: EventBridge (a schedule or an event pattern) invokes
 * it and it starts an execution. The target input the construct sets says
 * which: `{"stateMachineArn": …, "input": …, "name": …}` — a schedule's fixed
 * input named by the scheduler's execution id, or a rule's event named by
 * the event id — so a redelivered invocation does not start a second
 * execution (StartExecution is idempotent by name). An event passed as it
 * is (no stateMachineArn) starts `SWITCHYARD_STATE_MACHINE_ARN` with the
 * event as input and its id as the name. An EXPRESS state machine's
 * execution is started as the API starts one (lib/service/express.ts): an
 * asynchronous invoke of the Express function, whose Lambda retries and
 * dead-letter queue make it at least once, as Step Functions' asynchronous
 * Express executions are — it does not run in this 30-second invocation,
 * so a run of up to five minutes is neither cut short nor started twice.
 *
 * The rule the construct adds for `.sync` tasks (an ECS task stopped, a Batch
 * job or Glue job run ended) invokes it with `{"switchyardJobEvent": <event>}`:
 * that event completes the task waiting for the job (lib/aws/integrations/sync-jobs.ts).
 */
import type { JsonValue } from '../lib/asl/json';
import { deployedHandler, type Cloud } from '../lib/aws/environment';
import type { JobEventOutcome } from '../lib/aws/integrations/sync-jobs';

export interface ScheduleEvent {
  /** Present when the target input names the state machine. */
  stateMachineArn?: string;
  input?: JsonValue;
  /** The execution's name, with stateMachineArn. */
  name?: string;
  /** A job's end, for the `.sync` task waiting for it (the construct's job rule). */
  switchyardJobEvent?: JsonValue;
  /** EventBridge event fields (pattern rules). */
  id?: string;
  [key: string]: unknown;
}

export function createScheduleHandler(cloud: Cloud, env: NodeJS.ProcessEnv = process.env): (event: ScheduleEvent) => Promise<{ executionArn: string }> {
  return async (event) => {
    const stateMachineArn = event.stateMachineArn ?? env.SWITCHYARD_STATE_MACHINE_ARN;
    if (!stateMachineArn) throw new Error('The event names no stateMachineArn and SWITCHYARD_STATE_MACHINE_ARN is not set');
    const input = event.stateMachineArn !== undefined ? (event.input ?? {}) : (event as JsonValue);
    const given = event.stateMachineArn !== undefined ? event.name : event.id;
    const name = typeof given === 'string' && /^[A-Za-z0-9_-]{1,80}$/.test(given) ? given : undefined;
    const { executionArn } = await cloud.driver.startExecution(stateMachineArn, { input, ...(name ? { name } : {}) });
    return { executionArn };
  };
}

/** The schedule function's handler: a job's end completes its `.sync` task; any other event starts an execution. */
export function createScheduleFunctionHandler(cloud: Cloud, env: NodeJS.ProcessEnv = process.env): (event: ScheduleEvent) => Promise<{ executionArn: string } | { job: JobEventOutcome }> {
  const start = createScheduleHandler(cloud, env);
  return async (event) => {
    // A failure throws, and EventBridge's retry of the invocation delivers the job's end again.
    if (event.switchyardJobEvent !== undefined) return { job: await cloud.jobs.completeFromEvent(event.switchyardJobEvent, cloud.driver) };
    return start(event);
  };
}

export const handler = deployedHandler('switchyard-schedule', (parts) => createScheduleFunctionHandler(parts.cloud));
