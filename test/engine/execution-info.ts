/** The execution the engine's unit tests step: `M:e1`, started at T0 with `{}`, never redriven. */
import type { ExecutionInfo } from '../../lib/engine/execution';

/** 2026-01-01T00:00:00Z, when the tests' executions start. */
export const T0 = Date.UTC(2026, 0, 1);

/** The test execution, with `overrides` (its input, role, redrive count…). */
export function executionInfo(overrides: Partial<ExecutionInfo> = {}): ExecutionInfo {
  return {
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:M:e1',
    name: 'e1',
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M',
    stateMachineName: 'M',
    roleArn: 'arn:aws:iam::123456789012:role/r',
    input: {},
    startTime: T0,
    redriveCount: 0,
    ...overrides,
  };
}
