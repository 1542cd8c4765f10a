/**
 * The schedule function: EventBridge (a schedule or an event pattern) invokes
 * it and it starts an execution. The rule's target input says which state
 * machine: `{"stateMachineArn": …, "input": …}` for a schedule with a fixed
 * input; for a pattern rule, the target passes the event itself and the
 * state machine comes from `SWITCHYARD_STATE_MACHINE_ARN`, the event
 * becoming the execution's input. The event id names the execution, so a
 * redelivered event does not start a second one (StartExecution is
 * idempotent by name).
 */
import type { JsonValue } from '../lib/asl/json';
import { deployedFromEnv, type Cloud } from '../lib/aws/environment';

export interface ScheduleEvent {
  /** Present when the target input names the state machine (schedules). */
  stateMachineArn?: string;
  input?: JsonValue;
  /** EventBridge event fields (pattern rules). */
  id?: string;
  [key: string]: unknown;
}

export function createScheduleHandler(cloud: Cloud, env: NodeJS.ProcessEnv = process.env): (event: ScheduleEvent) => Promise<{ executionArn: string }> {
  return async (event) => {
    const stateMachineArn = event.stateMachineArn ?? env.SWITCHYARD_STATE_MACHINE_ARN;
    if (!stateMachineArn) throw new Error('The event names no stateMachineArn and SWITCHYARD_STATE_MACHINE_ARN is not set');
    const input = event.stateMachineArn !== undefined ? (event.input ?? {}) : (event as JsonValue);
    const name = typeof event.id === 'string' && /^[A-Za-z0-9_-]{1,80}$/.test(event.id) ? event.id : undefined;
    const { executionArn } = await cloud.driver.startExecution(stateMachineArn, { input, ...(name ? { name } : {}) });
    return { executionArn };
  };
}

let fromEnv: ((event: ScheduleEvent) => Promise<{ executionArn: string }>) | undefined;

export const handler = (event: ScheduleEvent): Promise<{ executionArn: string }> => {
  fromEnv ??= createScheduleHandler(deployedFromEnv('switchyard-schedule').cloud);
  return fromEnv(event);
};
