/** The fixed facts of one execution, known when it starts and never changed by a transition. */
import type { JsonValue } from '../asl/json';

export interface ExecutionInfo {
  /** `arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME` */
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string;
  input: JsonValue;
  /** Epoch ms. */
  startTime: number;
  redriveCount: number;
}

/** The region named in an ARN (`arn:aws:states:REGION:...`). */
export function regionOf(arn: string): string {
  return arn.split(':')[3] || 'us-east-1';
}
