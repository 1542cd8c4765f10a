/**
 * The registration function: a CloudFormation custom resource
 * (`Custom::SwitchyardStateMachine`) that registers a state machine when the
 * stack deploys. Create and Update register the definition (an update is a
 * new revision: running executions keep the one they started with); Delete
 * removes the state machine. The response goes to CloudFormation's
 * pre-signed URL, as every Lambda-backed custom resource's does.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { deployedHandler, type Cloud } from '../lib/aws/environment';
import { loggingConfigurationProblem } from '../lib/service/execution-log';
import type { LoggingConfiguration, LogLevel } from '../lib/service/ports';

/** The parts of CloudFormation's custom resource request this function reads. */
export interface CustomResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceProperties: {
    Name: string;
    Type?: 'STANDARD' | 'EXPRESS';
    Definition: string;
    Tags?: Record<string, string>;
    /** The state machine's own role (the construct's): its tasks run with it. @default the registry's placeholder role */
    RoleArn?: string;
    /** The state machine's logging (CloudFormation passes scalars as strings). */
    Logging?: { Level: LogLevel; IncludeExecutionData?: boolean | string; LogGroupArn?: string };
    /** How long its finished executions are kept, in seconds. */
    RetentionSeconds?: number | string;
  };
}

export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, string>;
}

/** Carries out one request; what CloudFormation is told. */
export async function register(cloud: Cloud, event: CustomResourceEvent): Promise<CustomResourceResponse> {
  const base = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  const { Name, Definition, Type, Tags, Logging, RetentionSeconds, RoleArn } = event.ResourceProperties;
  const arn = cloud.driver.stateMachineArn(Name);
  try {
    if (event.RequestType === 'Delete') {
      // A failed Create leaves a physical id that is no ARN: nothing to delete.
      if (event.PhysicalResourceId?.startsWith('arn:')) await cloud.driver.deleteStateMachine(event.PhysicalResourceId);
      return { ...base, Status: 'SUCCESS', PhysicalResourceId: event.PhysicalResourceId ?? arn };
    }
    const settings = {
      ...(Logging ? { loggingConfiguration: loggingOf(Logging) } : {}),
      ...(RetentionSeconds !== undefined ? { retentionSeconds: Number(RetentionSeconds) } : {}),
    };
    const record = await cloud.driver.putStateMachine(Name, Definition, RoleArn, Type ?? 'STANDARD', settings);
    if (Tags && Object.keys(Tags).length > 0) await cloud.driver.tagResource(arn, Tags);
    // A renamed state machine gets a new physical id; CloudFormation then deletes the old one.
    return { ...base, Status: 'SUCCESS', PhysicalResourceId: arn, Data: { StateMachineArn: arn, RevisionId: record.revisionId } };
  } catch (err) {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { ...base, Status: 'FAILED', Reason: reason.slice(0, 2000), PhysicalResourceId: event.PhysicalResourceId ?? `failed-${event.RequestId}` };
  }
}

/** The API's LoggingConfiguration from the resource's properties. */
function loggingOf(logging: NonNullable<CustomResourceEvent['ResourceProperties']['Logging']>): LoggingConfiguration {
  const config: LoggingConfiguration = {
    level: logging.Level,
    includeExecutionData: logging.IncludeExecutionData === true || logging.IncludeExecutionData === 'true',
    ...(logging.LogGroupArn ? { destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: logging.LogGroupArn } }] } : {}),
  };
  const problem = loggingConfigurationProblem(config);
  if (problem) throw new Error(problem);
  return config;
}

/** PUTs the response to CloudFormation's pre-signed URL. */
export function respond(url: string, response: CustomResourceResponse): Promise<void> {
  const body = JSON.stringify(response);
  return new Promise((resolve, reject) => {
    const request = url.startsWith('http:') ? httpRequest : httpsRequest;
    const req = request(url, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const handler = deployedHandler('switchyard-register', (parts) => async (event: CustomResourceEvent): Promise<void> => respond(event.ResponseURL, await register(parts.cloud, event)));
