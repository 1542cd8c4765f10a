/** A service execution record as the child end the nested rule reads. */
import type { ExecutionRecord } from '../ports';
import type { ChildEnd } from './child-end';

/** The ended record as a ChildEnd (a record still RUNNING is not one; the caller passes ended ones). */
export function childEnd(record: ExecutionRecord): ChildEnd {
  const status = record.status === 'RUNNING' ? 'ABORTED' : record.status;
  return {
    executionArn: record.info.executionArn,
    stateMachineArn: record.info.stateMachineArn,
    name: record.info.name,
    input: record.info.input,
    startDate: record.info.startTime,
    stopDate: record.stopDate ?? record.info.startTime,
    status,
    ...(record.output !== undefined ? { output: record.output } : {}),
    ...(record.error !== undefined ? { error: record.error } : {}),
    ...(record.cause !== undefined ? { cause: record.cause } : {}),
    redriveCount: record.info.redriveCount,
  };
}
