/**
 * Task states that call AWS services: the optimized request-response
 * integrations (`sqs:sendMessage`, `sns:publish`, `dynamodb:*Item`,
 * `events:putEvents`, also with `.waitForTaskToken`) and
 * `arn:aws:states:::aws-sdk:<service>:<action>` for any service whose
 * `@aws-sdk/client-<service>` package is installed. Results and errors are
 * shaped as Step Functions shapes them (./output.ts, ./errors.ts).
 *
 * At most one call per attempt (DESIGN.md invariant 3): the clients do not
 * retry (./clients.ts); the state's Retry does.
 */
import type { JsonObject } from '../../asl/json';
import { StatesErrorName } from '../../asl/errors';
import { serviceCall, type ServiceCall } from '../../engine/integrations/service-call';
import type { TaskInvocation, TaskOutcome, TaskRunner } from '../../engine/ports/task-runner';
import { MissingClientPackageError, SdkClients, type ClientOptions } from './clients';
import { serviceFailure } from './errors';
import { sdkInput, type SdkValue } from './input';
import { httpMetadata, inResultOrder, sdkResult } from './output';
import { SyncJobs } from './sync-jobs';
import type { SyncJobService } from '../../asl/integrations/sync-jobs';
import { jobReference, submittedJob } from '../../engine/integrations/sync-jobs';
import { memoryJobWaits, type JobWaits } from '../../service/sync-jobs';

export type SdkTaskRunnerOptions = Partial<ClientOptions> & {
  /** Where `.sync` tasks record which attempt waits for which job. @default in memory (one process submits and hears the job's end) */
  readonly jobWaits?: JobWaits;
};

/** An SDK command instance, as far as the runner touches it. */
interface SdkCommand {
  readonly middlewareStack: { add(middleware: unknown, options: { step: string; name: string }): void };
}
type CommandClass = new (input: SdkValue) => SdkCommand;

/** The HTTP response a call got, for SdkHttpMetadata. */
interface Captured {
  status?: number;
  headers?: Record<string, string>;
}

export class SdkTaskRunner implements TaskRunner {
  private readonly clients: SdkClients;
  /** The jobs `.sync` tasks submitted: their end (an EventBridge event) completes the task, stopping the task stops them. */
  readonly jobs: SyncJobs;

  constructor(options: SdkTaskRunnerOptions = {}) {
    const { jobWaits, ...clientOptions } = options;
    this.clients = new SdkClients({ ...clientOptions, region: options.region ?? process.env.AWS_REGION ?? 'us-east-1' });
    this.jobs = new SyncJobs(this.clients, jobWaits ?? memoryJobWaits());
  }

  /** True when the resource is a service integration this runner calls (not a Lambda task or an activity). */
  handles(invocation: Pick<TaskInvocation, 'resource' | 'parameters'>): boolean {
    return serviceCall(invocation.resource, invocation.parameters) !== undefined;
  }

  async run(invocation: TaskInvocation, signal: AbortSignal = new AbortController().signal): Promise<TaskOutcome> {
    const call = serviceCall(invocation.resource, invocation.parameters);
    if (call === undefined) return runtimeFailure(`The resource '${invocation.resource}' is not a service integration.`);
    if ('unsupported' in call) return runtimeFailure(call.unsupported);
    let client;
    let Command: CommandClass;
    try {
      client = this.clients.client(call.service, call.client, invocation.roleArn);
      const found = this.clients.module(call.client)[call.command];
      if (typeof found !== 'function') return runtimeFailure(`The resource '${invocation.resource}' is not recognized: @aws-sdk/client-${call.client} has no ${call.command}.`);
      Command = found as CommandClass;
    } catch (err) {
      if (err instanceof MissingClientPackageError) return runtimeFailure(`The resource '${invocation.resource}' cannot run: ${err.message}`);
      throw err;
    }
    const command = new Command(sdkInput(call.client, call.input));
    const captured: Captured = {};
    if (call.httpMetadata) captureResponse(command, captured);
    let result: unknown;
    try {
      result = await client.send(command, { abortSignal: signal });
    } catch (err) {
      const failure = serviceFailure(call, client.config.serviceId ?? call.client, err);
      return { kind: 'failed', ...(failure ?? { error: StatesErrorName.TaskFailed, cause: `${call.service}:${call.action} failed: ${(err as Error).message ?? String(err)}` }) };
    }
    const output = await shaped(call, result, captured);
    if (call.sync !== undefined) return this.submitted(call.sync, call, output, invocation, signal);
    // "Run a Job or Task Token: If a non-empty Failures field is encountered, the task is failed with an AmazonECS.Unknown error."
    if (call.waitForTaskToken && call.service === 'ecs') {
      const refused = submittedJob('ecs', output, call.input);
      if ('error' in refused) return { kind: 'failed', error: refused.error, cause: refused.cause };
    }
    if (call.waitForTaskToken) return { kind: 'pending' };
    return { kind: 'succeeded', output };
  }

  /** A `.sync` task's submission: the attempt waits for the job (recorded before it is reported), which is stopped with the task. */
  private async submitted(service: SyncJobService, call: ServiceCall, output: JsonObject, invocation: TaskInvocation, signal: AbortSignal): Promise<TaskOutcome> {
    const submission = submittedJob(service, output, call.input);
    if ('error' in submission) return { kind: 'failed', error: submission.error, cause: submission.cause };
    if (invocation.taskToken === undefined) return runtimeFailure(`The resource '${invocation.resource}' waits for its job, and the driver gave its attempt no token.`);
    await this.jobs.register(submission.job, { taskToken: invocation.taskToken, executionArn: invocation.executionArn, ...(invocation.roleArn !== undefined ? { roleArn: invocation.roleArn } : {}) });
    const job = jobReference(submission.job);
    // In-process the attempt's signal aborts when the task is stopped; the cloud stops the CancelTask's job.
    signal.addEventListener('abort', () => void this.jobs.stop(job).catch(() => undefined), { once: true });
    return { kind: 'pending', submitted: { output, job } };
  }

  /** Closes the clients' connections. */
  destroy(): void {
    this.clients.destroy();
  }
}

function runtimeFailure(cause: string): TaskOutcome {
  return { kind: 'failed', error: StatesErrorName.Runtime, cause };
}

/** Records the HTTP status and headers of this command's response. */
function captureResponse(command: SdkCommand, into: Captured): void {
  command.middlewareStack.add(
    (next: (args: unknown) => Promise<{ response: unknown }>) => async (args: unknown) => {
      const out = await next(args);
      const response = out.response as { statusCode?: number; headers?: Record<string, string> };
      into.status = response.statusCode;
      into.headers = response.headers;
      return out;
    },
    { step: 'deserialize', name: 'switchyardHttpMetadata' },
  );
}

async function shaped(call: ServiceCall, result: unknown, captured: Captured): Promise<JsonObject> {
  const echoed = Object.fromEntries((call.echoInput ?? []).flatMap((member) => (call.input[member] !== undefined ? [[member, call.input[member]]] : [])));
  const optimized = call.kind === 'optimized';
  const output = { ...echoed, ...((await sdkResult(call.client, result, optimized)) as JsonObject) };
  if (!call.httpMetadata) return inResultOrder(call.client, optimized, output);
  const requestId = (result as { $metadata?: { requestId?: string } }).$metadata?.requestId;
  return inResultOrder(call.client, optimized, { ...output, ...httpMetadata(captured.status ?? 200, captured.headers ?? {}, requestId) });
}
