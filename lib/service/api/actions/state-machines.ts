/** The state machine actions: create, update, delete, list and describe. */
import { isLogLevel } from '../../../asl/log-levels';
import { DefinitionSyntaxError, InvalidDefinitionError } from '../../../asl/diagnostics';
import { ServiceErrorName } from '../../../engine/service-errors';
import { OFF, splitStateMachineArn, type NewStateMachineOptions } from '../../driver';
import { loggingConfigurationProblem } from '../../execution-log';
import type { LoggingConfiguration, StateMachineRecord } from '../../ports';
import { variableReferences } from '../../../asl/compile/variable-references';
import type { JsonValue } from '../../../asl/json';
import { action } from '../action';
import { checkAwsLength } from '../aws-limits';
import { encryptionConfiguration, metadataOnly } from '../encryption';
import { Arn, fail, paginate, seconds, tagList } from '../members';
import type * as S from '../shapes/state-machines';

/** The request's loggingConfiguration, checked as the service checks it (InvalidLoggingConfiguration). */
function loggingConfiguration(value: unknown): LoggingConfiguration | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) fail(ServiceErrorName.ValidationException, 'loggingConfiguration must be an object');
  const v = value as { level?: unknown; includeExecutionData?: unknown; destinations?: unknown };
  const level = v.level ?? 'OFF';
  if (!isLogLevel(level)) {
    fail(ServiceErrorName.ValidationException, `1 validation error detected: Value '${String(level)}' at 'loggingConfiguration.level' failed to satisfy constraint: Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]`);
  }
  if (v.includeExecutionData !== undefined && typeof v.includeExecutionData !== 'boolean') fail(ServiceErrorName.ValidationException, 'loggingConfiguration.includeExecutionData must be a boolean');
  if (v.destinations !== undefined && !Array.isArray(v.destinations)) fail(ServiceErrorName.ValidationException, 'loggingConfiguration.destinations must be a list');
  const config: LoggingConfiguration = {
    level,
    includeExecutionData: v.includeExecutionData === true,
    ...(Array.isArray(v.destinations) && v.destinations.length > 0 ? { destinations: v.destinations as LoggingConfiguration['destinations'] } : {}),
  };
  const problem = loggingConfigurationProblem(config);
  if (problem) fail(ServiceErrorName.InvalidLoggingConfiguration, problem);
  return config;
}

/** A state machine's logging and tracing, as DescribeStateMachine shows them. */
function observability(sm: StateMachineRecord): { loggingConfiguration: LoggingConfiguration; tracingConfiguration: S.TracingConfiguration } {
  // Switchyard does not trace with X-Ray: described as the service describes a state machine without tracing.
  return { loggingConfiguration: sm.loggingConfiguration ?? OFF, tracingConfiguration: { enabled: false } };
}

/**
 * What the describe actions say of a definition: its text, or `{}` with
 * METADATA_ONLY ("If called with includedData = METADATA_ONLY, the returned
 * definition will be {}"), and its variableReferences when any state reads a variable.
 */
function describedDefinition(definition: string, metadata: boolean): { definition: string; variableReferences?: Record<string, string[]> } {
  if (metadata) return { definition: '{}' };
  let references: Record<string, string[]> = {};
  try {
    references = variableReferences(JSON.parse(definition) as JsonValue);
  } catch {
    // A stored definition was validated when it was stored; one that is not JSON names no variables.
  }
  return { definition, ...(Object.keys(references).length > 0 ? { variableReferences: references } : {}) };
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

export const stateMachineActions = {
  CreateStateMachine: action<S.CreateStateMachineInput, S.CreateStateMachineOutput>({ resources: (r, place) => [place.stateMachineArn(r.name('name'))], requestTags: 'tags', passesRole: 'roleArn' }, async (request, driver, call) => {
    const name = request.name('name');
    const definition = request.required('definition');
    checkAwsLength(driver, 'definition', definition);
    const roleArn = request.required('roleArn');
    const type = request.string('type') ?? 'STANDARD';
    if (type !== 'STANDARD' && type !== 'EXPRESS') {
      fail(ServiceErrorName.ValidationException, `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`);
    }
    const tags = tagList(request.raw('tags'));
    const logging = loggingConfiguration(request.raw('loggingConfiguration'));
    const encryption = encryptionConfiguration(request.raw('encryptionConfiguration'));
    const options: NewStateMachineOptions = {
      type,
      ...(tags ? { tags } : {}),
      ...(logging ? { loggingConfiguration: logging } : {}),
      ...(encryption ? { encryptionConfiguration: encryption } : {}),
      ...(call.region !== undefined ? { region: call.region } : {}),
    };
    const record = await definitionErrors(() => driver.createStateMachine(name, definition, roleArn, options));
    const published = request.raw('publish') === true ? await driver.publishVersion(record.stateMachineArn, request.string('versionDescription')) : undefined;
    return { stateMachineArn: record.stateMachineArn, creationDate: seconds(record.creationDate), ...(published ? { stateMachineVersionArn: published.arn } : {}) };
  }),

  UpdateStateMachine: action<S.UpdateStateMachineInput, S.UpdateStateMachineOutput>({ resources: (r) => [r.arn('stateMachineArn', Arn.stateMachine)], passesRole: 'roleArn' }, async (request, driver) => {
    const arn = request.arn('stateMachineArn', Arn.stateMachine);
    const definition = request.string('definition');
    checkAwsLength(driver, 'definition', definition);
    const roleArn = request.string('roleArn');
    const logging = loggingConfiguration(request.raw('loggingConfiguration'));
    const encryption = encryptionConfiguration(request.raw('encryptionConfiguration'));
    if (definition === undefined && roleArn === undefined && logging === undefined && encryption === undefined && request.raw('tracingConfiguration') === undefined) {
      fail(ServiceErrorName.MissingRequiredParameter, 'Either the definition, the roleArn, the loggingConfiguration, the tracingConfiguration or the encryptionConfiguration must be specified');
    }
    const changes = {
      ...(definition !== undefined ? { definition } : {}),
      ...(roleArn !== undefined ? { roleArn } : {}),
      ...(logging ? { loggingConfiguration: logging } : {}),
      ...(encryption ? { encryptionConfiguration: encryption } : {}),
    };
    const record = await definitionErrors(() => driver.updateStateMachine(arn, changes));
    const published = request.raw('publish') === true ? await driver.publishVersion(arn, request.string('versionDescription')) : undefined;
    return { updateDate: seconds(record.updateDate ?? record.creationDate), revisionId: record.revisionId, ...(published ? { stateMachineVersionArn: published.arn } : {}) };
  }),

  DeleteStateMachine: action<S.DeleteStateMachineInput, S.DeleteStateMachineOutput>({ resources: (r) => [r.arn('stateMachineArn', Arn.stateMachine)] }, async (request, driver) => {
    await driver.deleteStateMachine(request.arn('stateMachineArn', Arn.stateMachine));
    return {};
  }),

  ListStateMachines: action<S.ListStateMachinesInput, S.ListStateMachinesOutput>({ resources: (_, place) => [place.stateMachineArn('*')] }, async (request, driver) => {
    const { page, nextToken } = paginate(await driver.listStateMachines(), request, 's1');
    return {
      stateMachines: page.map((sm) => ({ stateMachineArn: sm.stateMachineArn, name: sm.name, type: sm.type, creationDate: seconds(sm.creationDate) })),
      ...(nextToken ? { nextToken } : {}),
    };
  }),

  DescribeStateMachine: action<S.DescribeStateMachineInput, S.DescribeStateMachineOutput>({ resources: (r) => [r.arn('stateMachineArn', Arn.qualifiedStateMachine)] }, async (request, driver) => {
    const arn = request.arn('stateMachineArn', Arn.qualifiedStateMachine);
    const { sm, revisionId, versionArn } = await driver.resolveTarget(arn);
    const { qualifier } = splitStateMachineArn(arn);
    if (qualifier !== undefined && !versionArn?.endsWith(`:${qualifier}`)) {
      fail(ServiceErrorName.ValidationException, 'Describe an alias with DescribeStateMachineAlias');
    }
    const version = versionArn ? sm.versions?.find((v) => `${sm.stateMachineArn}:${v.number}` === versionArn) : undefined;
    const definition = version ? await driver.definitionOf(sm.stateMachineArn, revisionId) : sm.definition;
    const { definition: described, variableReferences: references } = describedDefinition(definition, metadataOnly(request.raw('includedData')));
    return {
      stateMachineArn: versionArn ?? sm.stateMachineArn,
      name: sm.name,
      status: 'ACTIVE',
      definition: described,
      roleArn: sm.roleArn,
      type: sm.type,
      creationDate: seconds(version?.creationDate ?? sm.creationDate),
      ...observability(sm),
      revisionId,
      ...(version?.description !== undefined ? { description: version.description } : {}),
      ...(sm.encryptionConfiguration ? { encryptionConfiguration: sm.encryptionConfiguration } : {}),
      ...(references ? { variableReferences: references } : {}),
    };
  }),

  DescribeStateMachineForExecution: action<S.DescribeStateMachineForExecutionInput, S.DescribeStateMachineForExecutionOutput>({ resources: (r) => [r.arn('executionArn', Arn.execution)] }, async (request, driver) => {
    const sm = await driver.stateMachineForExecution(request.arn('executionArn', Arn.execution));
    const { definition, variableReferences: references } = describedDefinition(sm.definition, metadataOnly(request.raw('includedData')));
    return {
      stateMachineArn: sm.stateMachineArn,
      name: sm.name,
      definition,
      roleArn: sm.roleArn,
      updateDate: seconds(sm.updateDate ?? sm.creationDate),
      ...observability(sm),
      revisionId: sm.revisionId,
      ...(sm.encryptionConfiguration ? { encryptionConfiguration: sm.encryptionConfiguration } : {}),
      ...(references ? { variableReferences: references } : {}),
    };
  }),
};
