/** The actions that check definitions without storing them: ValidateStateMachineDefinition and TestState. */
import { parseDefinitionText } from '../../../asl/compile';
import type { Diagnostic } from '../../../asl/diagnostics';
import type { JsonValue } from '../../../asl/json';
import { validateDefinition } from '../../../asl/validate';
import { ServiceErrorName } from '../../../engine/service-errors';
import { testState, type TestStateOptions } from '../../test-state';
import { action, ANY_RESOURCE } from '../action';
import { fail, parseJsonMember, type RequestMembers } from '../members';
import type * as S from '../shapes/validation';

type TestStateExtras = Pick<TestStateOptions, 'stateName' | 'mock' | 'retrierRetryCount'>;

/** TestState's stateName, mock and stateConfiguration, checked. */
function testStateExtras(request: RequestMembers<S.TestStateInput>): TestStateExtras {
  const out: TestStateExtras = {};
  const stateName = request.string('stateName');
  if (stateName !== undefined) out.stateName = stateName;
  const mock = request.raw('mock') as { result?: unknown; errorOutput?: { error?: unknown; cause?: unknown } } | undefined;
  if (mock !== undefined && mock !== null) {
    if ((mock.result === undefined) === (mock.errorOutput === undefined)) fail(ServiceErrorName.ValidationException, 'A mock must specify either a result or an errorOutput');
    if (mock.result !== undefined) {
      out.mock = { result: parseJsonMember(typeof mock.result === 'string' ? mock.result : undefined, ServiceErrorName.ValidationException, 'mock.result') ?? null };
    } else {
      const { error, cause } = mock.errorOutput ?? {};
      out.mock = { errorOutput: { ...(typeof error === 'string' ? { error } : {}), ...(typeof cause === 'string' ? { cause } : {}) } };
    }
  }
  if (request.raw('context') !== undefined) {
    if (!out.mock) fail(ServiceErrorName.ValidationException, 'context may only be specified with a mock');
    fail(ServiceErrorName.ValidationException, 'Switchyard does not take a context object in TestState yet');
  }
  const config = request.raw('stateConfiguration') as Record<string, unknown> | undefined;
  if (config !== undefined && config !== null) {
    for (const key of Object.keys(config)) {
      if (key !== 'retrierRetryCount') fail(ServiceErrorName.ValidationException, `Switchyard does not support stateConfiguration.${key} in TestState yet`);
    }
    const count = config.retrierRetryCount;
    if (count !== undefined) {
      if (!out.mock?.errorOutput) fail(ServiceErrorName.ValidationException, 'retrierRetryCount may only be specified with a mocked errorOutput');
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) fail(ServiceErrorName.ValidationException, 'retrierRetryCount must be a non-negative integer');
      out.retrierRetryCount = count;
    }
  }
  return out;
}

const INSPECTION_LEVELS: readonly string[] = ['INFO', 'DEBUG', 'TRACE'];

export const validationActions = {
  ValidateStateMachineDefinition: action<S.ValidateStateMachineDefinitionInput, S.ValidateStateMachineDefinitionOutput>({ resources: () => [ANY_RESOURCE] }, async (request) => {
    const definition = request.required('definition');
    // "Minimum level of diagnostics to return. ERROR returns only ERROR diagnostics, whereas WARNING returns both WARNING and ERROR diagnostics."
    const severity = request.string('severity') ?? 'ERROR';
    if (severity !== 'ERROR' && severity !== 'WARNING') {
      fail(ServiceErrorName.ValidationException, `1 validation error detected: Value '${severity}' at 'severity' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, WARNING]`);
    }
    // "The default and maximum value is 100. Setting the value to 0 will also use the default of 100."
    const maxResults = request.raw('maxResults');
    if (maxResults !== undefined && maxResults !== null && (typeof maxResults !== 'number' || !Number.isInteger(maxResults))) {
      fail(ServiceErrorName.SerializationException, "Unexpected value type for 'maxResults': expected an integer");
    }
    if (typeof maxResults === 'number' && (maxResults < 0 || maxResults > 100)) {
      const bound = maxResults < 0 ? 'greater than or equal to 0' : 'less than or equal to 100';
      fail(ServiceErrorName.ValidationException, `1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value ${bound}`);
    }
    const max = typeof maxResults === 'number' && maxResults > 0 ? maxResults : 100;
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
  }),

  TestState: action<S.TestStateInput, S.TestStateOutput>({ resources: () => [ANY_RESOURCE], passesRole: 'roleArn' }, async (request, driver) => {
    const definition = request.required('definition');
    const input = parseJsonMember(request.string('input'), ServiceErrorName.InvalidExecutionInput, 'input') ?? {};
    const level = request.string('inspectionLevel') ?? 'INFO';
    if (!INSPECTION_LEVELS.includes(level)) {
      fail(ServiceErrorName.ValidationException, `1 validation error detected: Value '${level}' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [TRACE, DEBUG, INFO]`);
    }
    const variables = parseJsonMember(request.string('variables'), ServiceErrorName.ValidationException, 'variables');
    if (variables !== undefined && (variables === null || typeof variables !== 'object' || Array.isArray(variables))) fail(ServiceErrorName.ValidationException, 'variables must be a JSON object');
    const roleArn = request.string('roleArn');
    const r = await testState(definition, input, driver.taskRunner, {
      inspectionLevel: level as S.InspectionLevel,
      ...(roleArn !== undefined ? { roleArn } : {}),
      ...(variables !== undefined ? { variables: variables as Record<string, JsonValue> } : {}),
      ...testStateExtras(request),
    });
    return {
      ...(r.output !== undefined ? { output: JSON.stringify(r.output) } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.cause !== undefined ? { cause: r.cause } : {}),
      ...(r.inspectionData ? { inspectionData: r.inspectionData } : {}),
      ...(r.nextState !== undefined ? { nextState: r.nextState } : {}),
      status: r.status,
    };
  }),
};
