/**
 * The task runner of `switchyard run` and `switchyard serve`: service
 * integration tasks (`arn:aws:states:::sqs:sendMessage`,
 * `arn:aws:states:::aws-sdk:s3:getObject`, …) call the real services — at
 * the `--endpoint-url SERVICE=URL` given, or where the SDK's
 * `AWS_ENDPOINT_URL_<SERVICE>` / `AWS_ENDPOINT_URL` variables point — and
 * HTTP Tasks (`arn:aws:states:::http:invoke`) call their endpoint with the
 * connection the `--connections FILE` gives for their ConnectionArn, API
 * Gateway tasks (`arn:aws:states:::apigateway:invoke`) their API, and
 * every other task goes to the Lambda handlers (or fails as unresolved).
 * The SDK runner and its client packages load on the first integration task,
 * so a definition without one loads nothing of AWS.
 */
import * as path from 'node:path';
import type { CompiledStateMachine } from '../asl/model';
import { serviceCall } from '../engine/integrations/service-call';
import { endedJobOfEvent, parseJobReference } from '../engine/integrations/sync-jobs';
import { routedTaskRunner, type ResourceRunner } from '../engine/ports/task-routes';
import type { TokenCompleter } from '../service/nested/child-end';
import type { JobsHost, SyncJobEvents } from '../service/sync-jobs';
import type { TaskInvocation, TaskOutcome, TaskRunner } from '../engine/ports/task-runner';
import type { SdkTaskRunner } from '../aws/integrations/sdk-runner';
import { ConnectionsFileError, loadConnectionsFile, NO_CONNECTIONS } from '../local/connections-file';
import { HttpTaskRunner } from '../service/http-task-runner';
import { ApiGatewayTaskRunner, type ApiGatewaySigner } from '../service/apigateway-task-runner';
import { UsageError } from './io';

/** The `.sync` jobs of `switchyard serve` (their events come to /events) and `switchyard run` (which polls them: nothing can reach it). */
export interface LocalSyncJobs extends SyncJobEvents {
  poll(job: string, tokens: TokenCompleter, intervalMs: number, signal: AbortSignal): Promise<void>;
}

/** `['dynamodb=http://127.0.0.1:8000']` → `{ dynamodb: 'http://127.0.0.1:8000' }`; a UsageError names a malformed one. */
export function parseEndpointUrls(values: readonly string[]): Record<string, string> {
  const endpoints: Record<string, string> = {};
  for (const value of values) {
    const match = /^([a-z0-9-]+)=(https?:\/\/\S+)$/.exec(value);
    if (!match) throw new UsageError(`--endpoint-url takes SERVICE=URL (e.g. dynamodb=http://127.0.0.1:8000), got '${value}'`);
    endpoints[match[1]] = match[2];
  }
  return endpoints;
}

/**
 * Integration tasks on the SDK runner (made on first use), HTTP Tasks with the connections of `connectionsFile`
 * (relative to `cwd`), the rest on `others`; `jobs` are the `.sync` jobs the SDK runner submits (`switchyard serve`
 * hands them the events POSTed to /events, and stops a stopped task's job through them).
 */
export function withIntegrations(others: TaskRunner, endpointUrls: readonly string[] = [], connectionsFile?: string, cwd = process.cwd()): ResourceRunner & { readonly jobs: LocalSyncJobs } {
  const endpoints = parseEndpointUrls(endpointUrls);
  let connections = NO_CONNECTIONS;
  if (connectionsFile !== undefined) {
    try {
      connections = loadConnectionsFile(path.resolve(cwd, connectionsFile));
    } catch (err) {
      throw err instanceof ConnectionsFileError ? new UsageError(err.message) : err;
    }
  }
  const http = new HttpTaskRunner({ connections, missing: connectionsFile === undefined ? 'Give its connection with --connections FILE.' : `Add it to ${connectionsFile}.` });
  // API Gateway tasks at `--endpoint-url apigateway=URL` when given; the SigV4 signer loads on the first signed call.
  let signer: ApiGatewaySigner | undefined;
  const apigateway = new ApiGatewayTaskRunner({
    ...(endpoints.apigateway !== undefined ? { origin: endpoints.apigateway } : {}),
    sign: (request, identity) => {
      signer ??= (require('../aws/apigateway-signer') as typeof import('../aws/apigateway-signer')).apiGatewaySigner();
      return signer(request, identity);
    },
  });
  let sdk: SdkTaskRunner | undefined;
  let host: JobsHost | undefined;
  const sdkRunner = (): SdkTaskRunner => {
    if (sdk === undefined) {
      const { SdkTaskRunner: Runner } = require('../aws/integrations/sdk-runner') as typeof import('../aws/integrations/sdk-runner');
      sdk = new Runner({ endpoints });
      if (host !== undefined) sdk.jobs.attach(host);
    }
    return sdk;
  };
  const integrations = {
    handles: (invocation: TaskInvocation): boolean => serviceCall(invocation.resource, invocation.parameters) !== undefined,
    run: (invocation: TaskInvocation, signal: AbortSignal): Promise<TaskOutcome> => sdkRunner().run(invocation, signal),
  };
  // A job's end or stop loads the SDK runner too: with `serve --data` the job may have been submitted before a restart.
  const jobs: LocalSyncJobs = {
    handles: (job) => parseJobReference(job) !== undefined,
    stop: (job) => sdkRunner().jobs.stop(job),
    completeFromEvent: async (event, tokens) => (endedJobOfEvent(event) === undefined ? 'not-a-job-end' : sdkRunner().jobs.completeFromEvent(event, tokens)),
    poll: (job, tokens, intervalMs, signal) => sdkRunner().jobs.pollUntilEnded(job, tokens, intervalMs, signal),
    attach(given) {
      host = given;
      sdk?.jobs.attach(given);
    },
  };
  return Object.assign(routedTaskRunner([http, apigateway, integrations], others), { jobs });
}

/**
 * The AWS SDK client packages the machine's integration tasks need that are
 * not installed, so `switchyard run` can name them before it starts instead
 * of failing the task with States.Runtime.
 */
export function missingClientPackages(machine: CompiledStateMachine, resolve: (name: string) => string = require.resolve): string[] {
  const needed = new Set<string>();
  for (const scope of machine.scopes.values()) {
    for (const state of scope.states.values()) {
      if (state.type !== 'Task') continue;
      const call = serviceCall(state.resource, {});
      if (call !== undefined && !('unsupported' in call)) needed.add(`@aws-sdk/client-${call.client}`);
    }
  }
  return [...needed].filter((name) => {
    try {
      resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}
