/**
 * What each Switchyard function may call, read from the code it runs
 * (lambda/*.ts over lib/aws and lib/service), so no function holds a call it
 * never makes:
 *
 * - transition (lambda/transition.ts): commits frames and history (GetItem,
 *   PutItem, UpdateItem for the outbox mark, Query for frames), sends the
 *   next messages and the dead letters, offloads and reads large values in
 *   the bucket, signs task tokens (the secret), publishes status events;
 *   invokes tasks through the task policy. Every function that starts
 *   executions (transition, invoker, api, schedule) may also invoke the
 *   Express function, asynchronously, to start an EXPRESS one (express-function.ts).
 * - invoker (lambda/invoker.ts): claims each task attempt (PutItem) and
 *   invokes it with its state machine's role, then applies the outcome as a
 *   transition does — the transition's calls, but no dead letters.
 * - api (lambda/api.ts): every Step Functions action — the transition's
 *   calls plus DeleteItem (DeleteStateMachine, DeleteActivity,
 *   GetActivityTask) and the token key to check SendTask* tokens; invokes
 *   tasks through the task policy (TestState); hands the task attempts of
 *   an outbox it carries out (StartExecution, RedriveExecution) to the invoker.
 * - express (lambda/express.ts): runs an asynchronous EXPRESS execution in
 *   memory, writing nothing of it; reads its state machine and revision
 *   (GetItem, the bucket for a launch or definition stored aside), invokes
 *   its tasks with its state machine's role (task-roles.ts), publishes its
 *   status events, and — for a states:startExecution task — starts a
 *   STANDARD execution as the schedule function does; when the execution
 *   was started by a `.sync` task it checks that task's token (the secret)
 *   and sends the task's completion. Lambda sends a failed
 *   launch to its dead-letter queue with the function's role (express-function.ts).
 * - schedule (lambda/schedule.ts): StartExecution only — reads the state
 *   machine and its revision, writes the execution and its root frame,
 *   sends the first message (and a task request, when the first state is a
 *   Task), marks the outbox done, publishes the started event.
 * - register (lambda/register.ts): PutStateMachine, TagResource and
 *   DeleteStateMachine — GetItem, PutItem, DeleteItem and the bucket for a
 *   definition too large for an item; no queue, no task, no token, no event.
 */
import { ArnFormat, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/** The six functions of a Switchyard. */
export type YardFunctionName = 'transition' | 'invoker' | 'api' | 'express' | 'schedule' | 'register';

/** The calls one function makes. */
export interface FunctionCalls {
  readonly table: readonly string[];
  /** SendMessage (and SendMessageBatch, which IAM authorizes as SendMessage) on the transition queue. */
  readonly sendsMessages: boolean;
  /** SendMessage on the dead-letter queue (a message that cannot be processed, with its reason). */
  readonly sendsDeadLetters: boolean;
  /** SendMessage on the task invoker's queue (task attempts an outbox hands to it). */
  readonly sendsTaskRequests: boolean;
  /** Reads the task token key's secret. */
  readonly readsTokenKey: boolean;
  /** PutEvents of status change events, when the Switchyard has a bus. */
  readonly putsEvents: boolean;
}

/** Per function, exactly the calls its code makes (see the module comment). */
export const FUNCTION_CALLS: Readonly<Record<YardFunctionName, FunctionCalls>> = {
  transition: { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], sendsMessages: true, sendsDeadLetters: true, sendsTaskRequests: true, readsTokenKey: true, putsEvents: true },
  invoker: { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], sendsMessages: true, sendsDeadLetters: false, sendsTaskRequests: true, readsTokenKey: true, putsEvents: true },
  api: { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'], sendsMessages: true, sendsDeadLetters: false, sendsTaskRequests: true, readsTokenKey: true, putsEvents: true },
  express: { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], sendsMessages: true, sendsDeadLetters: false, sendsTaskRequests: true, readsTokenKey: true, putsEvents: true },
  schedule: { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], sendsMessages: true, sendsDeadLetters: false, sendsTaskRequests: true, readsTokenKey: false, putsEvents: true },
  register: { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], sendsMessages: false, sendsDeadLetters: false, sendsTaskRequests: false, readsTokenKey: false, putsEvents: false },
};

/** What the grants are on. */
export interface YardResources {
  readonly table: dynamodb.ITable;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly invokerQueue: sqs.IQueue;
  readonly bucket: s3.IBucket;
  readonly tokenKeySecret: secretsmanager.ISecret;
  readonly statusChangeEventBus?: events.IEventBus;
  readonly encryptionKey?: kms.IKey;
}

/** Grants `fn` exactly the calls {@link FUNCTION_CALLS} lists for `name`. */
export function grantFunctionCalls(fn: lambda.IFunction, name: YardFunctionName, r: YardResources): void {
  const calls = FUNCTION_CALLS[name];
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: [...calls.table], resources: [r.table.tableArn, `${r.table.tableArn}/index/byMachine`] }));
  // Payload objects: every function may meet a value (an input, a definition) too large for an item.
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [r.bucket.arnForObjects('*')] }));
  const queues = [
    ...(calls.sendsMessages ? [r.queue.queueArn] : []),
    ...(calls.sendsDeadLetters ? [r.deadLetterQueue.queueArn] : []),
    ...(calls.sendsTaskRequests ? [r.invokerQueue.queueArn] : []),
  ];
  if (queues.length > 0) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: queues }));
  if (calls.readsTokenKey) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [r.tokenKeySecret.secretArn] }));
  if (calls.putsEvents && r.statusChangeEventBus) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [r.statusChangeEventBus.eventBusArn] }));
  // A customer-managed key: Decrypt to read (items, objects, messages received, the secret), GenerateDataKey to write.
  if (r.encryptionKey) fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [r.encryptionKey.keyArn] }));
}

/**
 * Lets CloudWatch Logs encrypt this region's log groups of the account with
 * `key`, as CloudWatch Logs requires of a key given to a log group; an
 * imported key's policy is not changed (addToResourcePolicy does nothing).
 */
export function allowLogsToUse(key: kms.IKey, stack: Stack): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
    }),
    false,
  );
}
