/**
 * Runs API Gateway tasks (`arn:aws:states:::apigateway:invoke`, also with
 * `.waitForTaskToken`): builds the API's URL from the task's parameters,
 * signs it when the AuthType asks (a signer the deployment gives — SigV4 is
 * lib/aws's, the service imports no SDK), sends one request with fetch and
 * shapes the outcome as Step Functions does
 * (lib/engine/integrations/apigateway-task.ts). One request per attempt: a
 * failure is the state's to retry.
 *
 * Authentication, as the developer guide has it:
 * - NO_AUTH: "Call the API directly with no authorization method."
 * - IAM_ROLE: "Step Functions assumes the role of the state machine, signs
 *   the request with Signature Version 4 (SigV4), then calls the API" — signed
 *   with the task's role (its Credentials.RoleArn, else the state machine's).
 * - RESOURCE_POLICY: "Step Functions authenticates the request, and then
 *   calls the API" — signed with the orchestrator's own credentials, which
 *   the API's resource policy then admits (Switchyard has no
 *   `states.amazonaws.com` principal to be; docs say which to name).
 */
import { apiGatewayEndpointParts } from '../asl/integrations/apigateway';
import {
  apiGatewayClientFailure,
  apiGatewayOutcome,
  apiGatewayRequest,
  apiGatewayTask,
  isApiGatewayFailure,
  isApiGatewayInvoke,
  waitsForToken,
  type ApiGatewayRequest,
} from '../engine/integrations/apigateway-task';
import { StatesErrorName } from '../asl/errors';
import type { ResourceRunner } from '../engine/ports/task-routes';
import { sendHttpRequest } from './http-task-runner';
import type { TaskInvocation, TaskOutcome } from '../engine/ports/task-runner';

/** Whose credentials sign a request: the role's, or (no role) the orchestrator's own. */
export interface SigningIdentity {
  readonly roleArn?: string;
  /** The API's region, from its ApiEndpoint. */
  readonly region: string;
}

/** Signs a request for `execute-api` (SigV4): the headers to send it with. */
export type ApiGatewaySigner = (request: ApiGatewayRequest, identity: SigningIdentity) => Promise<Readonly<Record<string, string>>>;

export interface ApiGatewayTaskRunnerOptions {
  /** Signs IAM_ROLE and RESOURCE_POLICY calls; without it they fail with States.Runtime. @default none */
  readonly sign?: ApiGatewaySigner;
  /** Where every API is reached instead of `https://<ApiEndpoint>` (a local stand-in, `--endpoint-url execute-api=URL`). @default the API's own URL */
  readonly origin?: string;
  /** @default the global fetch */
  readonly fetch?: typeof fetch;
  /** How long a request may take before it fails as ApiGateway.SdkClientException. @default 60 000 */
  readonly timeoutMs?: number;
}

/** The runner of API Gateway tasks; every other resource is another runner's. */
export class ApiGatewayTaskRunner implements ResourceRunner {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ApiGatewayTaskRunnerOptions = {}) {
    this.fetch = options.fetch ?? fetch;
  }

  handles(invocation: Pick<TaskInvocation, 'resource'>): boolean {
    return isApiGatewayInvoke(invocation.resource);
  }

  async run(invocation: TaskInvocation, signal: AbortSignal = new AbortController().signal): Promise<TaskOutcome> {
    const task = apiGatewayTask(invocation.parameters);
    if (isApiGatewayFailure(task)) return { kind: 'failed', ...task };
    let request = apiGatewayRequest(task, this.options.origin);
    if (task.authType !== 'NO_AUTH') {
      if (this.options.sign === undefined) return { kind: 'failed', error: StatesErrorName.Runtime, cause: `The API Gateway task's AuthType ${task.authType} signs its request, and this runtime has no credentials to sign with.` };
      const region = apiGatewayEndpointParts(task.apiEndpoint)?.region ?? 'us-east-1';
      const identity: SigningIdentity = task.authType === 'IAM_ROLE' && invocation.roleArn !== undefined ? { roleArn: invocation.roleArn, region } : { region };
      try {
        request = { ...request, headers: await this.options.sign(request, identity) };
      } catch (err) {
        return apiGatewayClientFailure(`The request to ${request.url} could not be signed: ${(err as Error).message}`);
      }
    }
    const response = await sendHttpRequest(this.fetch, request, signal, this.options.timeoutMs ?? 60_000);
    if ('failure' in response) return apiGatewayClientFailure(response.failure);
    const outcome = apiGatewayOutcome(response);
    // A callback task's call only delivers the token; the task waits for it to come back.
    if (outcome.kind === 'succeeded' && waitsForToken(invocation.resource)) return { kind: 'pending' };
    return outcome;
  }
}
