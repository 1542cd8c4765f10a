import type { ContextObject, EvalEnv } from '../../../lib/asl/env';
import type { JsonValue } from '../../../lib/asl/json';

/** A fixed environment for expression tests. */
export function testEnv(variables: Record<string, JsonValue> = {}): EvalEnv {
  const context = {
    Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:M:e1', Input: {}, Name: 'e1', RoleArn: 'arn:aws:iam::123456789012:role/R', StartTime: '2026-01-01T00:00:00Z', RedriveCount: 0 },
    State: { EnteredTime: '2026-01-01T00:00:01Z', Name: 'S', RetryCount: 0 },
    StateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:M', Name: 'M' },
  } as ContextObject;
  return { context: () => context, variables, random: () => 0.5 };
}
