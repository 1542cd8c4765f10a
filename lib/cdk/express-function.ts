/**
 * How asynchronous EXPRESS starts reach the Express function
 * (lambda/express.ts): the function that starts one — the API function
 * (StartExecution), the schedule function (EventBridge schedules and rules),
 * the transition and task invoker functions (a states:startExecution task
 * of a STANDARD parent) — invokes it asynchronously (InvocationType
 * `Event`) and Lambda's own event queue does the rest —
 * two retries of an invocation that failed or timed out, then the event to
 * the on-failure destination, an SQS dead-letter queue the construct alarms
 * on. That is Step Functions' at-least-once for asynchronous Express
 * executions with no SQS request per start.
 */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** The Express function's timeout: Express's five-minute limit (lib/service/express.ts ends a run then) and a minute's margin. */
export const EXPRESS_FUNCTION_TIMEOUT = Duration.minutes(6);

/** How long Lambda keeps retrying an event it could not run yet (throttled: over the function's reserved concurrency). */
export const EXPRESS_MAX_EVENT_AGE = Duration.hours(6);

/**
 * An on-failure destination on an SQS queue that grants the function
 * exactly `sqs:SendMessage` on it (aws-lambda-destinations' SqsDestination
 * grants the queue's whole send set, with wildcard KMS actions).
 */
class DeadLetterDestination implements lambda.IDestination {
  constructor(private readonly queue: sqs.IQueue) {}

  bind(_scope: Construct, fn: lambda.IFunction): lambda.DestinationConfig {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    return { destination: this.queue.queueArn };
  }
}

/**
 * Lets each of `starters` start Express executions asynchronously on
 * `express`: `lambda:InvokeFunction` on that function alone (not its
 * versions or aliases), its name in the starter's environment, and Lambda's
 * asynchronous retries with `deadLetters` as the on-failure destination.
 * (The Express function is no starter of its own: its grant and its
 * environment would name itself, a cycle in the template. An Express
 * parent's Express child goes through the transition queue.)
 */
export function launchExpressAsynchronously(starters: readonly lambda.Function[], express: lambda.Function, deadLetters: sqs.IQueue): void {
  express.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: EXPRESS_MAX_EVENT_AGE, onFailure: new DeadLetterDestination(deadLetters) });
  for (const starter of starters) {
    starter.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [express.functionArn] }));
    starter.addEnvironment('SWITCHYARD_EXPRESS_FUNCTION', express.functionName);
  }
}
