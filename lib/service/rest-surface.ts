/**
 * A small REST surface beside the JSON protocol, for people with curl or a
 * browser:
 *
 * - `POST /state-machines/{name}/executions` with a JSON body: starts an
 *   execution of that state machine with the body as input (`?name=` names it).
 * - `GET /executions/{executionArn}`: the execution (DescribeExecution's members).
 * - `GET /executions/{executionArn}/history`: its history events.
 * - `GET /tasks/{taskToken}/approve` and `/reject`: completes a callback task
 *   with `{"approved":true,"approver":…}` (`?approver=` names who approves,
 *   default `approval link`) or fails it with `Rejected` — the links a human
 *   approval e-mail carries. The token itself is the credential.
 *
 * Answers are JSON; errors are `{error, message}` with the API's status.
 */
import type { JsonValue } from '../asl/json';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';
import type { CloudDriver } from './driver';
import { tokenResource } from './api/action';
import type { Call } from './api/authorization/access';
import type { ProtocolResponse } from './api/protocol';

const headers = { 'Content-Type': 'application/json' };
const reply = (statusCode: number, body: unknown): ProtocolResponse => ({ statusCode, headers, body: JSON.stringify(body, null, 2) });

/** The approver an approve link without `?approver=` names. */
export const DEFAULT_APPROVER = 'approval link';

/** Authorizes one call of the surface as the API action it is, or throws AccessDeniedException. */
export type RestAuthorizer = (call: Call) => Promise<void>;

const allowed: RestAuthorizer = async () => {};

/** Serves one REST request; undefined when the path is not part of the surface. Each operation is authorized as the API action it performs. */
export async function handleRestRequest(driver: CloudDriver, method: string, url: string, body: string, authorize: RestAuthorizer = allowed): Promise<ProtocolResponse | undefined> {
  const { pathname, searchParams } = new URL(url, 'http://localhost');
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  try {
    if (method === 'POST' && parts.length === 3 && parts[0] === 'state-machines' && parts[2] === 'executions') {
      let input: JsonValue = {};
      if (body.trim() !== '') {
        try {
          input = JSON.parse(body) as JsonValue;
        } catch {
          return reply(400, { error: ServiceErrorName.InvalidExecutionInput, message: 'The request body is not valid JSON' });
        }
      }
      const arn = driver.stateMachineArn(parts[1]);
      await authorize({ action: 'StartExecution', resources: [arn] });
      const name = searchParams.get('name');
      const started = await driver.startExecution(arn, { input, ...(name ? { name } : {}) });
      return reply(201, { executionArn: started.executionArn, startDate: new Date(started.startDate).toISOString() });
    }
    if (method === 'GET' && parts[0] === 'executions' && (parts.length === 2 || (parts.length === 3 && parts[2] === 'history'))) {
      await authorize({ action: parts.length === 3 ? 'GetExecutionHistory' : 'DescribeExecution', resources: [parts[1]] });
      if (parts.length === 3) return reply(200, { events: await driver.getExecutionHistory(parts[1]) });
      const r = await driver.describeExecution(parts[1]);
      return reply(200, {
        executionArn: r.info.executionArn,
        stateMachineArn: r.info.stateMachineArn,
        name: r.info.name,
        status: r.status,
        startDate: new Date(r.info.startTime).toISOString(),
        ...(r.stopDate !== undefined && r.status !== 'RUNNING' ? { stopDate: new Date(r.stopDate).toISOString() } : {}),
        input: r.info.input,
        ...(r.status === 'SUCCEEDED' ? { output: r.output ?? null } : {}),
        ...(r.error !== undefined ? { error: r.error } : {}),
        ...(r.cause !== undefined ? { cause: r.cause } : {}),
      });
    }
    if (method === 'GET' && parts.length === 3 && parts[0] === 'tasks' && (parts[2] === 'approve' || parts[2] === 'reject')) {
      await authorize({ action: parts[2] === 'approve' ? 'SendTaskSuccess' : 'SendTaskFailure', resources: [tokenResource(parts[1], driver)] });
      // examples/human-approval reads $.decision.approver, so the link always names one.
      if (parts[2] === 'approve') await driver.sendTaskSuccess(parts[1], { approved: true, approver: searchParams.get('approver') ?? DEFAULT_APPROVER });
      else await driver.sendTaskFailure(parts[1], 'Rejected', 'Rejected by the approver');
      return reply(200, { result: parts[2] === 'approve' ? 'approved' : 'rejected' });
    }
    return undefined;
  } catch (err) {
    if (err instanceof ServiceError) return reply(err.statusCode === 400 && /DoesNotExist/.test(err.name) ? 404 : err.statusCode, { error: err.name, message: err.message });
    throw err;
  }
}
