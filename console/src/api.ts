/**
 * The console's only way to the server: Step Functions' JSON protocol,
 * `POST /` with `X-Amz-Target: AWSStepFunctions.<Action>`, exactly as the SDK
 * and the AWS CLI call it. No server internals are reached any other way.
 */

/** An error answer of the API: its `__type` and message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly type: string, message: string, readonly statusCode: number) {
    super(message);
  }
}

/** The server did not answer at all (stopped, or the network is down). */
export class ServerUnreachableError extends Error {
  override readonly name = 'ServerUnreachableError';
}

import type { ExecutionDescription, ExecutionListItem, ExecutionStatus, HistoryEvent, Page, StateMachineDescription, StateMachineListItem, Timestamp } from './wire';

export * from './wire';

/** How long one call may take: 30 s, or `?timeout=SECONDS` in the console's address. */
function callTimeoutSeconds(): number {
  const given = Number(new URLSearchParams(location.search).get('timeout'));
  return Number.isFinite(given) && given > 0 ? given : 30;
}

/** Calls one action; resolves with its answer or rejects with ApiError / ServerUnreachableError. */
export async function callAction<T>(action: string, request: object): Promise<T> {
  let response: Response;
  let text: string;
  const seconds = callTimeoutSeconds();
  try {
    response = await fetch('/', {
      method: 'POST',
      headers: { 'X-Amz-Target': `AWSStepFunctions.${action}`, 'Content-Type': 'application/x-amz-json-1.0' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(seconds * 1000),
    });
    text = await response.text();
  } catch (err) {
    const why = (err as Error).name === 'TimeoutError' ? `within ${seconds} s` : `(${(err as Error).message})`;
    throw new ServerUnreachableError(`The Switchyard server at ${location.origin} did not answer ${action} ${why}. Is \`switchyard serve\` (or \`switchyard console\`) still running?`);
  }
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError('MalformedResponse', `${action} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, response.status);
  }
  if (!response.ok) {
    const fault = body as { __type?: string; message?: string; Message?: string };
    throw new ApiError(String(fault.__type ?? `HTTP ${response.status}`).replace(/^.*#/, ''), fault.message ?? fault.Message ?? text, response.status);
  }
  return body as T;
}

/** Every state machine (all pages). */
export async function listStateMachines(): Promise<StateMachineListItem[]> {
  const all: StateMachineListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAction<{ stateMachines: StateMachineListItem[]; nextToken?: string }>('ListStateMachines', { maxResults: 1000, ...(nextToken ? { nextToken } : {}) });
    all.push(...page.stateMachines);
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

export function describeStateMachine(stateMachineArn: string): Promise<StateMachineDescription> {
  return callAction('DescribeStateMachine', { stateMachineArn });
}

/** The definition the execution runs (its own revision, not the newest). */
export function describeStateMachineForExecution(executionArn: string): Promise<StateMachineDescription> {
  return callAction('DescribeStateMachineForExecution', { executionArn });
}

/** One page of a state machine's executions, newest first. */
export async function listExecutions(stateMachineArn: string, options: { statusFilter?: ExecutionStatus; maxResults: number; nextToken?: string }): Promise<Page<ExecutionListItem>> {
  const page = await callAction<{ executions: ExecutionListItem[]; nextToken?: string }>('ListExecutions', { stateMachineArn, ...options });
  return { items: page.executions, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

/** A Map Run's child executions (ListExecutions with a mapRunArn), every page. */
export async function listMapRunExecutions(mapRunArn: string): Promise<ExecutionListItem[]> {
  const all: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAction<{ executions: ExecutionListItem[]; nextToken?: string }>('ListExecutions', { mapRunArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) });
    all.push(...page.executions);
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

export function describeExecution(executionArn: string): Promise<ExecutionDescription> {
  return callAction('DescribeExecution', { executionArn });
}

/** The whole history, oldest first (every page). */
export async function getExecutionHistory(executionArn: string): Promise<HistoryEvent[]> {
  const all: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAction<{ events: HistoryEvent[]; nextToken?: string }>('GetExecutionHistory', { executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) });
    all.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

export function startExecution(stateMachineArn: string, input: string, name?: string): Promise<{ executionArn: string; startDate: Timestamp }> {
  return callAction('StartExecution', { stateMachineArn, input, ...(name ? { name } : {}) });
}

export function stopExecution(executionArn: string, error: string, cause: string): Promise<{ stopDate: Timestamp }> {
  return callAction('StopExecution', { executionArn, error, cause });
}

export function redriveExecution(executionArn: string): Promise<{ redriveDate: Timestamp }> {
  return callAction('RedriveExecution', { executionArn });
}

/** Answers a waiting `.waitForTaskToken` task (or activity) with its output. */
export function sendTaskSuccess(taskToken: string, output: string): Promise<object> {
  return callAction('SendTaskSuccess', { taskToken, output });
}

export function sendTaskFailure(taskToken: string, error: string, cause: string): Promise<object> {
  return callAction('SendTaskFailure', { taskToken, ...(error ? { error } : {}), ...(cause ? { cause } : {}) });
}

/** One problem ValidateStateMachineDefinition found, at a JSON pointer into the definition. */
export interface DefinitionDiagnostic {
  severity: 'ERROR' | 'WARNING';
  code: string;
  message: string;
  location?: string;
}

export function validateDefinition(definition: string): Promise<{ result: 'OK' | 'FAIL'; diagnostics: DefinitionDiagnostic[] }> {
  return callAction('ValidateStateMachineDefinition', { definition, severity: 'WARNING' });
}

export function createStateMachine(name: string, definition: string, roleArn: string): Promise<{ stateMachineArn: string }> {
  return callAction('CreateStateMachine', { name, definition, roleArn });
}

export function updateStateMachine(stateMachineArn: string, definition: string): Promise<{ updateDate: Timestamp }> {
  return callAction('UpdateStateMachine', { stateMachineArn, definition });
}
