/**
 * Step Functions' own JSON protocol over the cloud driver: `POST /` with
 * `Content-Type: application/x-amz-json-1.0` and `X-Amz-Target:
 * AWSStepFunctions.<Action>`, request and response members as the service's
 * API model names them, timestamps as epoch seconds, errors as `{__type,
 * message}` with status 400 so the official SDK raises its typed exceptions.
 * lambda/api.ts serves it behind API Gateway.
 */
import { DefinitionSyntaxError, InvalidDefinitionError, type Diagnostic } from '../asl/diagnostics';
import { parseDefinitionText } from '../asl/compile';
import { validateDefinition } from '../asl/validate';
import type { JsonValue } from '../asl/json';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';
import type { HistoryEvent } from '../engine/history';
import { detailsKeyOf } from '../engine/history-events';
import { OFF, splitStateMachineArn, type CloudDriver } from './driver';
import { loggingConfigurationProblem } from './execution-log';
import type { ExecutionRecord, LoggingConfiguration, StateMachineRecord } from './ports';
import { testState, type TestStateOptions } from './test-state';

export interface ProtocolResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** The answer to a request larger than the front door takes: 413 with the service's ValidationException shape. */
export function requestTooLarge(limitBytes: number): ProtocolResponse {
  return { statusCode: 413, headers: { 'Content-Type': 'application/x-amz-json-1.0' }, body: JSON.stringify({ __type: 'ValidationException', message: `The request is larger than ${limitBytes} bytes` }) };
}

const JSON_1_0 = 'application/x-amz-json-1.0';
/**
 * Names of state machines, executions, activities and aliases: 1 to 80
 * characters, none of them whitespace, brackets `< > { } [ ]`, wildcards
 * `? *`, the specials `" # % \ ^ | ~ \` $ & , ; : /`, or control characters
 * (the API reference's rule).
 */
const NAME_CHAR = '[^\\s<>{}\\[\\]?*"#%\\\\^|~`$&,;:/\\u0000-\\u001f\\u007f-\\u009f\\ufffe\\uffff]';
const NAME = new RegExp(`^${NAME_CHAR}{1,80}$`, 'u');

/** Step Functions' rule for names of state machines, executions, activities and aliases: 1–80 characters, none of whitespace, brackets, wildcards, special or control characters. */
export function isValidName(name: string): boolean {
  return NAME.test(name);
}
const STATE_MACHINE_ARN = new RegExp(`^arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:${NAME_CHAR}{1,80}$`, 'u');
/** A state machine, a version (`:3`) or an alias (`:prod`). */
const QUALIFIED_ARN = new RegExp(`^arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:${NAME_CHAR}{1,80}(?::${NAME_CHAR}{1,80})?$`, 'u');
const VERSION_ARN = new RegExp(`^arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:${NAME_CHAR}{1,80}:\\d+$`, 'u');
const EXECUTION_ARN = new RegExp(`^arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:execution:${NAME_CHAR}{1,80}:${NAME_CHAR}{1,80}$`, 'u');
const ACTIVITY_ARN = new RegExp(`^arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:activity:${NAME_CHAR}{1,80}$`, 'u');
const MAX_INPUT_BYTES = 256 * 1024 * 1024; // the cloud runtime lifts Step Functions' 256 KiB limit; this bounds one request

const seconds = (ms: number): number => ms / 1000;

function fail(name: string, message: string): never {
  throw new ServiceError(name, message);
}

function str(body: Record<string, unknown>, key: string, required: true): string;
function str(body: Record<string, unknown>, key: string, required?: false): string | undefined;
function str(body: Record<string, unknown>, key: string, required = false): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (required) fail('ValidationException', `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== 'string') fail('SerializationException', `Unexpected value type for '${key}': expected a string`);
  return value;
}

function parseJsonMember(text: string | undefined, error: string, what: string): JsonValue | undefined {
  if (text === undefined) return undefined;
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES) fail(error, `${what} is too large`);
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return fail(error, `Invalid ${what}: '${text.slice(0, 200)}' is not valid JSON`);
  }
}

function checkArn(arn: string, pattern: RegExp, kind: string): void {
  if (!pattern.test(arn)) fail(ServiceErrorName.InvalidArn, `Invalid Arn: '${kind} ARN is malformed: ${arn}'`);
}

/** A required ARN member of the request, checked against its pattern. */
function arnMember(body: Record<string, unknown>, key: string, pattern: RegExp, kind: string): string {
  const arn = str(body, key, true);
  checkArn(arn, pattern, kind);
  return arn;
}

function historyEventOut(e: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...e, timestamp: seconds(e.timestamp) };
  const key = detailsKeyOf(e.type);
  const details = key !== undefined ? e[key] : undefined;
  if (!includeData && key !== undefined && details !== undefined) {
    const d = { ...details };
    for (const field of ['input', 'output', 'parameters']) if (field in d) delete d[field];
    out[key] = d;
  }
  return out;
}

/** StartExecution's and StartSyncExecution's optional name and input, checked. */
function startOptions(body: Record<string, unknown>): { name?: string; input?: JsonValue } {
  const name = str(body, 'name');
  if (name !== undefined && !NAME.test(name)) fail(ServiceErrorName.InvalidName, `Invalid Name: '${name}'`);
  const input = parseJsonMember(str(body, 'input'), ServiceErrorName.InvalidExecutionInput, 'execution input');
  return { ...(name !== undefined ? { name } : {}), ...(input !== undefined ? { input } : {}) };
}

/** The members DescribeExecution and StartSyncExecution share: names, start, input, and output or error and cause. */
function executionMembers(r: ExecutionRecord): Record<string, unknown> {
  const succeeded = r.status === 'SUCCEEDED';
  return {
    executionArn: r.info.executionArn,
    stateMachineArn: r.info.stateMachineArn,
    name: r.info.name,
    startDate: seconds(r.info.startTime),
    input: JSON.stringify(r.info.input),
    inputDetails: { included: true },
    ...(succeeded ? { output: JSON.stringify(r.output ?? null), outputDetails: { included: true } } : {}),
    ...(r.error !== undefined && !succeeded ? { error: r.error } : {}),
    ...(r.cause !== undefined && !succeeded ? { cause: r.cause } : {}),
  };
}

/** DescribeExecution's redriveStatus and, when it cannot be redriven, the reason. */
async function redriveStatus(driver: CloudDriver, r: ExecutionRecord): Promise<Record<string, string>> {
  const reason = await driver.notRedrivable(r);
  return reason === undefined ? { redriveStatus: 'REDRIVABLE' } : { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: reason };
}

/** An alias's routingConfiguration: one or two `{stateMachineVersionArn, weight}`. */
function routingOf(value: unknown, required: boolean): { versionArn: string; weight: number }[] | undefined {
  if (value === undefined || value === null) {
    if (required) fail('ValidationException', "1 validation error detected: Value null at 'routingConfiguration' failed to satisfy constraint: Member must not be null");
    return undefined;
  }
  if (!Array.isArray(value)) fail('ValidationException', 'routingConfiguration must be a list');
  return (value as { stateMachineVersionArn?: unknown; weight?: unknown }[]).map((r) => {
    if (typeof r?.stateMachineVersionArn !== 'string' || typeof r.weight !== 'number') fail('ValidationException', 'Each route needs a stateMachineVersionArn and a weight');
    return { versionArn: r.stateMachineVersionArn, weight: r.weight };
  });
}

/** The API's `[{key, value}]` tag list as a map; a malformed list is a ValidationException. */
function tagList(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail('ValidationException', 'tags must be a list of {key, value}');
  const out: Record<string, string> = {};
  for (const t of value as { key?: unknown; value?: unknown }[]) {
    if (typeof t?.key !== 'string' || typeof t.value !== 'string') fail('ValidationException', 'Each tag needs a string key and a string value');
    out[t.key] = t.value;
  }
  return out;
}

/** The request's loggingConfiguration, checked as the service checks it (InvalidLoggingConfiguration). */
function loggingConfiguration(value: unknown): LoggingConfiguration | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) fail('ValidationException', 'loggingConfiguration must be an object');
  const v = value as { level?: unknown; includeExecutionData?: unknown; destinations?: unknown };
  const level = v.level ?? 'OFF';
  if (level !== 'ALL' && level !== 'ERROR' && level !== 'FATAL' && level !== 'OFF') {
    fail('ValidationException', `1 validation error detected: Value '${String(level)}' at 'loggingConfiguration.level' failed to satisfy constraint: Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]`);
  }
  if (v.includeExecutionData !== undefined && typeof v.includeExecutionData !== 'boolean') fail('ValidationException', 'loggingConfiguration.includeExecutionData must be a boolean');
  if (v.destinations !== undefined && !Array.isArray(v.destinations)) fail('ValidationException', 'loggingConfiguration.destinations must be a list');
  const config: LoggingConfiguration = {
    level,
    includeExecutionData: v.includeExecutionData === true,
    ...(Array.isArray(v.destinations) && v.destinations.length > 0 ? { destinations: v.destinations as LoggingConfiguration['destinations'] } : {}),
  };
  const problem = loggingConfigurationProblem(config);
  if (problem) fail('InvalidLoggingConfiguration', problem);
  return config;
}

/** A state machine's logging and tracing, as DescribeStateMachine shows them. */
function observability(sm: StateMachineRecord): { loggingConfiguration: LoggingConfiguration; tracingConfiguration: { enabled: boolean } } {
  // Switchyard does not trace with X-Ray: described as the service describes a state machine without tracing.
  return { loggingConfiguration: sm.loggingConfiguration ?? OFF, tracingConfiguration: { enabled: false } };
}

/** TestState's stateName, mock and stateConfiguration, checked. */
function testStateExtras(body: Record<string, unknown>): Pick<TestStateOptions, 'stateName' | 'mock' | 'retrierRetryCount'> {
  const out: Pick<TestStateOptions, 'stateName' | 'mock' | 'retrierRetryCount'> = {};
  const stateName = str(body, 'stateName');
  if (stateName !== undefined) out.stateName = stateName;
  const mock = body.mock as { result?: unknown; errorOutput?: { error?: unknown; cause?: unknown } } | undefined;
  if (mock !== undefined && mock !== null) {
    if ((mock.result === undefined) === (mock.errorOutput === undefined)) fail('ValidationException', 'A mock must specify either a result or an errorOutput');
    if (mock.result !== undefined) {
      out.mock = { result: parseJsonMember(typeof mock.result === 'string' ? mock.result : undefined, 'ValidationException', 'mock.result') ?? null };
    } else {
      const { error, cause } = mock.errorOutput ?? {};
      out.mock = { errorOutput: { ...(typeof error === 'string' ? { error } : {}), ...(typeof cause === 'string' ? { cause } : {}) } };
    }
  }
  if (body.context !== undefined) {
    if (!out.mock) fail('ValidationException', 'context may only be specified with a mock');
    fail('ValidationException', 'Switchyard does not take a context object in TestState yet');
  }
  const config = body.stateConfiguration as Record<string, unknown> | undefined;
  if (config !== undefined && config !== null) {
    for (const key of Object.keys(config)) {
      if (key !== 'retrierRetryCount') fail('ValidationException', `Switchyard does not support stateConfiguration.${key} in TestState yet`);
    }
    const count = config.retrierRetryCount;
    if (count !== undefined) {
      if (!out.mock?.errorOutput) fail('ValidationException', 'retrierRetryCount may only be specified with a mocked errorOutput');
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) fail('ValidationException', 'retrierRetryCount must be a non-negative integer');
      out.retrierRetryCount = count;
    }
  }
  return out;
}

/** Runs `work`, turning a definition the validator rejects into InvalidDefinition. */
async function definitionErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof InvalidDefinitionError || err instanceof DefinitionSyntaxError) fail(ServiceErrorName.InvalidDefinition, err.message);
    throw err;
  }
}

/** One page of `items` by the request's maxResults (default 100, at most 1000) and nextToken (opaque, tagged per listing). */
function paginate<T>(items: readonly T[], body: Record<string, unknown>, tag: string): { page: T[]; nextToken?: string } {
  const max = body.maxResults === undefined || body.maxResults === 0 ? 100 : Number(body.maxResults);
  if (!Number.isInteger(max) || max < 0 || max > 1000) {
    fail('ValidationException', `1 validation error detected: Value '${String(body.maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  }
  const token = str(body, 'nextToken');
  let offset = 0;
  if (token !== undefined) {
    const decoded = new RegExp(`^${tag}\\.(\\d+)$`).exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!decoded) fail('InvalidToken', 'Invalid Token');
    offset = Number(decoded[1]);
  }
  const page = items.slice(offset, offset + max);
  return offset + max < items.length ? { page, nextToken: Buffer.from(`${tag}.${offset + max}`).toString('base64url') } : { page };
}

/** Runs one action; returns its response body, or throws a ServiceError. */
async function dispatch(driver: CloudDriver, action: string, body: Record<string, unknown>): Promise<unknown> {
  switch (action) {
    case 'CreateStateMachine': {
      const name = str(body, 'name', true);
      if (!NAME.test(name)) fail(ServiceErrorName.InvalidName, `Invalid Name: '${name}'`);
      const definition = str(body, 'definition', true);
      const roleArn = str(body, 'roleArn', true);
      const type = str(body, 'type') ?? 'STANDARD';
      if (type !== 'STANDARD' && type !== 'EXPRESS') {
        fail('ValidationException', `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`);
      }
      const tags = tagList(body.tags);
      const logging = loggingConfiguration(body.loggingConfiguration);
      const record = await definitionErrors(() => driver.createStateMachine(name, definition, roleArn, tags, type, logging));
      const published = body.publish === true ? await driver.publishVersion(record.stateMachineArn, str(body, 'versionDescription')) : undefined;
      return { stateMachineArn: record.stateMachineArn, creationDate: seconds(record.creationDate), ...(published ? { stateMachineVersionArn: published.arn } : {}) };
    }
    case 'UpdateStateMachine': {
      const arn = arnMember(body, 'stateMachineArn', STATE_MACHINE_ARN, 'State machine');
      const definition = str(body, 'definition');
      const roleArn = str(body, 'roleArn');
      const logging = loggingConfiguration(body.loggingConfiguration);
      if (definition === undefined && roleArn === undefined && logging === undefined && body.tracingConfiguration === undefined) {
        fail('MissingRequiredParameter', 'Either the definition, the roleArn, the loggingConfiguration or the tracingConfiguration must be specified');
      }
      const changes = { ...(definition !== undefined ? { definition } : {}), ...(roleArn !== undefined ? { roleArn } : {}), ...(logging ? { loggingConfiguration: logging } : {}) };
      const record = await definitionErrors(() => driver.updateStateMachine(arn, changes));
      const published = body.publish === true ? await driver.publishVersion(arn, str(body, 'versionDescription')) : undefined;
      return { updateDate: seconds(record.updateDate ?? record.creationDate), revisionId: record.revisionId, ...(published ? { stateMachineVersionArn: published.arn } : {}) };
    }
    case 'DeleteStateMachine': {
      const arn = arnMember(body, 'stateMachineArn', STATE_MACHINE_ARN, 'State machine');
      await driver.deleteStateMachine(arn);
      return {};
    }
    case 'ListStateMachines': {
      const { page, nextToken } = paginate(await driver.listStateMachines(), body, 's1');
      return {
        stateMachines: page.map((sm) => ({ stateMachineArn: sm.stateMachineArn, name: sm.name, type: sm.type, creationDate: seconds(sm.creationDate) })),
        ...(nextToken ? { nextToken } : {}),
      };
    }
    case 'DescribeStateMachineForExecution': {
      const arn = arnMember(body, 'executionArn', EXECUTION_ARN, 'Execution');
      const sm = await driver.stateMachineForExecution(arn);
      return {
        stateMachineArn: sm.stateMachineArn,
        name: sm.name,
        definition: sm.definition,
        roleArn: sm.roleArn,
        updateDate: seconds(sm.updateDate ?? sm.creationDate),
        ...observability(sm),
        revisionId: sm.revisionId,
      };
    }
    case 'ValidateStateMachineDefinition': {
      const definition = str(body, 'definition', true);
      const severity = str(body, 'severity') ?? 'ERROR';
      const max = body.maxResults === undefined || body.maxResults === 0 ? 100 : Number(body.maxResults);
      let diagnostics: Diagnostic[];
      try {
        diagnostics = validateDefinition(parseDefinitionText(definition));
      } catch (err) {
        diagnostics = [{ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', location: '/', message: err instanceof Error ? err.message : String(err) }];
      }
      const shown = diagnostics.filter((d) => severity === 'WARNING' || d.severity === 'ERROR');
      return {
        result: diagnostics.some((d) => d.severity === 'ERROR') ? 'FAIL' : 'OK',
        diagnostics: shown.slice(0, max).map((d) => ({ severity: d.severity, code: d.code, message: d.message, location: d.location })),
        truncated: shown.length > max,
      };
    }
    case 'ListActivities': {
      const { page, nextToken } = paginate(await driver.listActivities(), body, 'a1');
      return { activities: page.map((a) => ({ activityArn: a.activityArn, name: a.name, creationDate: seconds(a.creationDate) })), ...(nextToken ? { nextToken } : {}) };
    }
    case 'TagResource':
      await driver.tagResource(str(body, 'resourceArn', true), tagList(body.tags) ?? {});
      return {};
    case 'UntagResource': {
      const keys = body.tagKeys;
      if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) fail('ValidationException', "tagKeys must be a list of strings");
      await driver.untagResource(str(body, 'resourceArn', true), keys as string[]);
      return {};
    }
    case 'ListTagsForResource': {
      const tags = await driver.listTags(str(body, 'resourceArn', true));
      return { tags: Object.entries(tags).map(([key, value]) => ({ key, value })) };
    }
    case 'DescribeStateMachine': {
      const arn = arnMember(body, 'stateMachineArn', QUALIFIED_ARN, 'State machine');
      const { sm, revisionId, versionArn } = await driver.resolveTarget(arn);
      if (splitStateMachineArn(arn).qualifier !== undefined && !versionArn?.endsWith(`:${splitStateMachineArn(arn).qualifier}`)) {
        fail(ServiceErrorName.ValidationException, 'Describe an alias with DescribeStateMachineAlias');
      }
      const version = versionArn ? sm.versions?.find((v) => `${sm.stateMachineArn}:${v.number}` === versionArn) : undefined;
      const definition = version ? await driver.definitionOf(sm.stateMachineArn, revisionId) : sm.definition;
      return {
        stateMachineArn: versionArn ?? sm.stateMachineArn,
        name: sm.name,
        status: 'ACTIVE',
        definition,
        roleArn: sm.roleArn,
        type: sm.type,
        creationDate: seconds(version?.creationDate ?? sm.creationDate),
        ...observability(sm),
        revisionId,
        ...(version?.description !== undefined ? { description: version.description } : {}),
      };
    }
    case 'PublishStateMachineVersion': {
      const arn = arnMember(body, 'stateMachineArn', STATE_MACHINE_ARN, 'State machine');
      const v = await driver.publishVersion(arn, str(body, 'description'), str(body, 'revisionId'));
      return { creationDate: seconds(v.creationDate), stateMachineVersionArn: v.arn };
    }
    case 'ListStateMachineVersions': {
      const arn = arnMember(body, 'stateMachineArn', STATE_MACHINE_ARN, 'State machine');
      const sm = await driver.describeStateMachine(arn);
      const versions = [...(sm.versions ?? [])].reverse();
      const { page, nextToken } = paginate(versions, body, 'v1');
      return { stateMachineVersions: page.map((v) => ({ stateMachineVersionArn: `${arn}:${v.number}`, creationDate: seconds(v.creationDate) })), ...(nextToken ? { nextToken } : {}) };
    }
    case 'DeleteStateMachineVersion': {
      const arn = arnMember(body, 'stateMachineVersionArn', VERSION_ARN, 'State machine version');
      await driver.deleteVersion(arn);
      return {};
    }
    case 'CreateStateMachineAlias':
    case 'UpdateStateMachineAlias': {
      const create = action === 'CreateStateMachineAlias';
      const routing = routingOf(body.routingConfiguration, create);
      let aliasArn: string;
      if (create) {
        const name = str(body, 'name', true);
        if (!NAME.test(name) || /^\d+$/.test(name)) fail(ServiceErrorName.InvalidName, `Invalid Name: '${name}'`);
        aliasArn = `${splitStateMachineArn(routing![0].versionArn).base}:${name}`;
      } else {
        aliasArn = str(body, 'stateMachineAliasArn', true);
      }
      const current = create ? undefined : await driver.describeAlias(aliasArn);
      const alias = await driver.putAlias(
        aliasArn,
        routing ?? current!.routing.map((r) => ({ versionArn: `${splitStateMachineArn(aliasArn).base}:${r.version}`, weight: r.weight })),
        str(body, 'description'),
        create,
      );
      return create ? { stateMachineAliasArn: aliasArn, creationDate: seconds(alias.creationDate) } : { updateDate: seconds(alias.updateDate) };
    }
    case 'DescribeStateMachineAlias': {
      const arn = str(body, 'stateMachineAliasArn', true);
      const a = await driver.describeAlias(arn);
      const base = splitStateMachineArn(arn).base;
      return {
        stateMachineAliasArn: arn,
        name: a.name,
        ...(a.description !== undefined ? { description: a.description } : {}),
        routingConfiguration: a.routing.map((r) => ({ stateMachineVersionArn: `${base}:${r.version}`, weight: r.weight })),
        creationDate: seconds(a.creationDate),
        updateDate: seconds(a.updateDate),
      };
    }
    case 'DeleteStateMachineAlias':
      await driver.deleteAlias(str(body, 'stateMachineAliasArn', true));
      return {};
    case 'ListStateMachineAliases': {
      const arn = arnMember(body, 'stateMachineArn', STATE_MACHINE_ARN, 'State machine');
      const sm = await driver.describeStateMachine(arn);
      const { page, nextToken } = paginate(sm.aliases ?? [], body, 'l1');
      return { stateMachineAliases: page.map((a) => ({ stateMachineAliasArn: `${arn}:${a.name}`, creationDate: seconds(a.creationDate) })), ...(nextToken ? { nextToken } : {}) };
    }
    case 'StartExecution': {
      const arn = arnMember(body, 'stateMachineArn', QUALIFIED_ARN, 'State machine');
      const started = await driver.startExecution(arn, startOptions(body));
      return { executionArn: started.executionArn, startDate: seconds(started.startDate) };
    }
    case 'StartSyncExecution': {
      const arn = arnMember(body, 'stateMachineArn', STATE_MACHINE_ARN, 'State machine');
      const r = await driver.startSyncExecution(arn, startOptions(body));
      const stop = r.stopDate ?? r.info.startTime;
      return {
        ...executionMembers(r),
        stopDate: seconds(stop),
        status: r.status === 'RUNNING' ? 'TIMED_OUT' : r.status,
        billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil((stop - r.info.startTime) / 100) * 100) },
      };
    }
    case 'DescribeExecution': {
      const arn = arnMember(body, 'executionArn', EXECUTION_ARN, 'Execution');
      const r = await driver.describeExecution(arn);
      return {
        ...executionMembers(r),
        status: r.status,
        ...(r.stopDate !== undefined && r.status !== 'RUNNING' ? { stopDate: seconds(r.stopDate) } : {}),
        redriveCount: r.info.redriveCount,
        ...(r.redriveDate !== undefined ? { redriveDate: seconds(r.redriveDate) } : {}),
        ...(await redriveStatus(driver, r)),
        ...(r.versionArn ? { stateMachineVersionArn: r.versionArn } : {}),
        ...(r.aliasArn ? { stateMachineAliasArn: r.aliasArn } : {}),
      };
    }
    case 'GetExecutionHistory': {
      const arn = arnMember(body, 'executionArn', EXECUTION_ARN, 'Execution');
      let events = await driver.getExecutionHistory(arn);
      if (body.reverseOrder === true) events = [...events].reverse();
      const { page, nextToken: next } = paginate(events, body, 'h1');
      return { events: page.map((e) => historyEventOut(e, body.includeExecutionData !== false)), ...(next ? { nextToken: next } : {}) };
    }
    case 'ListExecutions': {
      // A version or alias ARN lists the executions started through it.
      const arn = arnMember(body, 'stateMachineArn', QUALIFIED_ARN, 'State machine');
      const { base, qualifier } = splitStateMachineArn(arn);
      const status = str(body, 'statusFilter');
      if (status !== undefined && !['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'].includes(status)) {
        fail('ValidationException', `1 validation error detected: Value '${status}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]`);
      }
      const redrive = str(body, 'redriveFilter');
      if (redrive !== undefined && redrive !== 'REDRIVEN' && redrive !== 'NOT_REDRIVEN') {
        fail('ValidationException', `1 validation error detected: Value '${redrive}' at 'redriveFilter' failed to satisfy constraint: Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]`);
      }
      const all = (await driver.listExecutions(base)).filter(
        (r) =>
          (status === undefined || r.status === status) &&
          (redrive === undefined || (r.info.redriveCount > 0) === (redrive === 'REDRIVEN')) &&
          (qualifier === undefined || r.versionArn === arn || r.aliasArn === arn),
      );
      const { page, nextToken } = paginate(all, body, 'e1');
      return {
        executions: page.map((r) => ({
          executionArn: r.info.executionArn,
          stateMachineArn: r.info.stateMachineArn,
          name: r.info.name,
          status: r.status,
          startDate: seconds(r.info.startTime),
          ...(r.stopDate !== undefined && r.status !== 'RUNNING' ? { stopDate: seconds(r.stopDate) } : {}),
          ...(r.versionArn ? { stateMachineVersionArn: r.versionArn } : {}),
          ...(r.aliasArn ? { stateMachineAliasArn: r.aliasArn } : {}),
          redriveCount: r.info.redriveCount,
          ...(r.redriveDate !== undefined ? { redriveDate: seconds(r.redriveDate) } : {}),
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    }
    case 'TestState': {
      const definition = str(body, 'definition', true);
      const input = parseJsonMember(str(body, 'input'), ServiceErrorName.InvalidExecutionInput, 'input') ?? {};
      const level = str(body, 'inspectionLevel') ?? 'INFO';
      if (!['INFO', 'DEBUG', 'TRACE'].includes(level)) fail('ValidationException', `1 validation error detected: Value '${level}' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [TRACE, DEBUG, INFO]`);
      const variables = parseJsonMember(str(body, 'variables'), 'ValidationException', 'variables');
      if (variables !== undefined && (variables === null || typeof variables !== 'object' || Array.isArray(variables))) fail('ValidationException', 'variables must be a JSON object');
      const r = await testState(definition, input, driver.taskRunner, {
        inspectionLevel: level as 'INFO' | 'DEBUG' | 'TRACE',
        ...(variables !== undefined ? { variables: variables as Record<string, JsonValue> } : {}),
        ...testStateExtras(body),
      });
      return {
        ...(r.output !== undefined ? { output: JSON.stringify(r.output) } : {}),
        ...(r.error !== undefined ? { error: r.error } : {}),
        ...(r.cause !== undefined ? { cause: r.cause } : {}),
        ...(r.inspectionData ? { inspectionData: r.inspectionData } : {}),
        ...(r.nextState !== undefined ? { nextState: r.nextState } : {}),
        status: r.status,
      };
    }
    case 'RedriveExecution': {
      const arn = arnMember(body, 'executionArn', EXECUTION_ARN, 'Execution');
      const { redriveDate } = await driver.redriveExecution(arn);
      return { redriveDate: seconds(redriveDate) };
    }
    case 'StopExecution': {
      const arn = arnMember(body, 'executionArn', EXECUTION_ARN, 'Execution');
      const stopped = await driver.stopExecution(arn, str(body, 'error'), str(body, 'cause'));
      return { stopDate: seconds(stopped.stopDate) };
    }
    case 'SendTaskSuccess': {
      const token = str(body, 'taskToken', true);
      const output = parseJsonMember(str(body, 'output', true), 'InvalidOutput', 'output');
      await driver.sendTaskSuccess(token, output ?? null);
      return {};
    }
    case 'SendTaskFailure':
      await driver.sendTaskFailure(str(body, 'taskToken', true), str(body, 'error'), str(body, 'cause'));
      return {};
    case 'SendTaskHeartbeat':
      await driver.sendTaskHeartbeat(str(body, 'taskToken', true));
      return {};
    case 'CreateActivity': {
      const name = str(body, 'name', true);
      if (!NAME.test(name)) fail(ServiceErrorName.InvalidName, `Invalid Name: '${name}'`);
      const a = await driver.createActivity(name);
      const tags = tagList(body.tags);
      if (tags) await driver.tagResource(a.activityArn, tags);
      return { activityArn: a.activityArn, creationDate: seconds(a.creationDate) };
    }
    case 'DescribeActivity': {
      const arn = arnMember(body, 'activityArn', ACTIVITY_ARN, 'Activity');
      const a = await driver.describeActivity(arn);
      return { activityArn: a.activityArn, name: a.name, creationDate: seconds(a.creationDate) };
    }
    case 'DeleteActivity': {
      const arn = arnMember(body, 'activityArn', ACTIVITY_ARN, 'Activity');
      await driver.deleteActivity(arn);
      return {};
    }
    case 'GetActivityTask': {
      const arn = arnMember(body, 'activityArn', ACTIVITY_ARN, 'Activity');
      const task = await driver.getActivityTask(arn, str(body, 'workerName'));
      return task ?? {};
    }
    default:
      return fail('UnknownOperationException', `The action ${action} is not valid for this endpoint.`);
  }
}

/** Serves one request of the JSON protocol. Never throws: every failure is an error response. */
export async function handleSfnRequest(driver: CloudDriver, target: string | undefined, text: string | undefined): Promise<ProtocolResponse> {
  const headers = { 'Content-Type': JSON_1_0 };
  try {
    const action = /^AWSStepFunctions\.([A-Za-z]+)$/.exec(target ?? '')?.[1];
    if (!action) fail('UnknownOperationException', `Missing or unknown X-Amz-Target: '${target ?? ''}'`);
    let body: unknown;
    try {
      body = text === undefined || text === '' ? {} : JSON.parse(text);
    } catch {
      fail('SerializationException', 'The request body is not valid JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) fail('SerializationException', 'The request body must be a JSON object');
    const result = await dispatch(driver, action, body as Record<string, unknown>);
    return { statusCode: 200, headers, body: JSON.stringify(result) };
  } catch (err) {
    if (err instanceof ServiceError) return { statusCode: err.statusCode, headers, body: JSON.stringify({ __type: err.name, message: err.message }) };
    console.error(JSON.stringify({ level: 'ERROR', message: 'internal error', error: err instanceof Error ? err.stack : String(err) }));
    return { statusCode: 500, headers, body: JSON.stringify({ __type: 'InternalServerError', message: 'An internal error occurred' }) };
  }
}
