/** Definition validation: every problem at once, each with its code, location and message. */
import type { Diagnostic } from '../../../lib/asl/diagnostics';
import { validateDefinition } from '../../../lib/asl/validate';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:Charge';
const errors = (definition: unknown): Pick<Diagnostic, 'code' | 'location' | 'message'>[] =>
  validateDefinition(definition).map(({ code, location, message }) => ({ code, location, message }));

describe('validateDefinition', () => {
  it('accepts a definition using every state type, Retry, Catch, Parallel and Map', () => {
    const definition = {
      Comment: 'valid',
      StartAt: 'Check',
      TimeoutSeconds: 300,
      States: {
        Check: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 0, Next: 'Charge' }], Default: 'Reject' },
        Charge: {
          Type: 'Task',
          Resource: FN,
          Parameters: { 'amount.$': '$.n', 'when.$': '$$.Execution.StartTime' },
          ResultPath: '$.charge',
          TimeoutSeconds: 30,
          HeartbeatSeconds: 10,
          Retry: [{ ErrorEquals: ['Throttled'], MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL' }, { ErrorEquals: ['States.ALL'] }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Reject' }],
          Next: 'Both',
        },
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Ship', States: { Ship: { Type: 'Pass', End: true } } },
            { StartAt: 'Wait1', States: { Wait1: { Type: 'Wait', Seconds: 1, End: true } } },
          ],
          Next: 'Each',
        },
        Each: {
          Type: 'Map',
          ItemsPath: '$[0].items',
          ItemSelector: { 'item.$': '$$.Map.Item.Value' },
          MaxConcurrency: 2,
          ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', Result: 1, End: true } } },
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
        Reject: { Type: 'Fail', Error: 'Rejected', Cause: 'n must be positive' },
      },
    };
    expect(validateDefinition(definition)).toEqual([]);
  });

  it('accepts JSONata states with Arguments, Output, Assign and Condition', () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Output: { total: '{% $sum($states.input.values) %}' }, Assign: { count: '{% $count($states.input.values) %}' }, Next: 'B' },
        B: { Type: 'Choice', Choices: [{ Condition: '{% $count > 2 %}', Next: 'C' }], Default: 'C' },
        C: { Type: 'Task', Resource: FN, Arguments: { n: '{% $count %}' }, End: true },
      },
    };
    expect(validateDefinition(definition)).toEqual([]);
  });

  it('reports every problem of a broken definition at once', () => {
    const definition = {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Task', Resource: FN, Next: 'Charge', Foo: 1 },
        Orphan: { Type: 'Pass', End: true },
        Loop: { Type: 'Pass', Next: 'Loop' },
      },
    };
    expect(errors(definition)).toEqual([
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/Start', message: "The field 'Foo' is not supported by Step Functions" },
      { code: 'MISSING_TRANSITION_TARGET', location: '/States/Start/Next', message: "Missing 'Next' target: Charge" },
      { code: 'UNREACHABLE_STATE', location: '/States/Orphan', message: "State 'Orphan' is not reachable" },
      { code: 'UNREACHABLE_STATE', location: '/States/Loop', message: "State 'Loop' is not reachable" },
      { code: 'MISSING_END_STATE', location: '/States', message: 'Workflow has no terminal state' },
    ]);
  });

  it('reports a missing StartAt target and required fields', () => {
    expect(errors({ StartAt: 'Nope', States: { A: { Type: 'Pass', End: true } } })).toEqual([
      { code: 'MISSING_TRANSITION_TARGET', location: '/StartAt', message: "Missing 'StartAt' target: Nope" },
    ]);
    expect(errors({ States: {} })).toContainEqual({ code: 'SCHEMA_VALIDATION_FAILED', location: '', message: 'These fields are required: [StartAt]' });
    expect(errors({ StartAt: 'A', States: { A: { End: true } } })).toEqual([
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/A', message: 'These fields are required: [Type]' },
    ]);
    expect(errors('nope')).toEqual([{ code: 'SCHEMA_VALIDATION_FAILED', location: '', message: 'The state machine definition must be a JSON object' }]);
  });

  it('reports duplicate state names across nested scopes and over-long names', () => {
    const long = 'x'.repeat(81);
    const definition = {
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [{ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }], Next: long },
        [long]: { Type: 'Succeed' },
      },
    };
    expect(errors(definition)).toEqual([
      { code: 'DUPLICATE_STATE_NAME', location: '/States/P/Branches/0/States/P', message: "Duplicate State name: 'P' (also at /States/P)" },
      { code: 'INVALID_STATE_NAME', location: `/States/${long}`, message: `State names must be 1 to 80 characters long, but '${long}' has 81` },
    ]);
  });

  it('requires exactly one of Next and End', () => {
    expect(errors({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B', End: true }, B: { Type: 'Succeed' } } })).toEqual([
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/A', message: "The fields 'Next' and 'End' are mutually exclusive" },
    ]);
    expect(errors({ StartAt: 'A', States: { A: { Type: 'Pass' } } })).toContainEqual({
      code: 'SCHEMA_VALIDATION_FAILED',
      location: '/States/A',
      message: "This state must have either a 'Next' field or 'End': true",
    });
  });

  it('reports bad paths, templates, intrinsics and JSONata at their fields', () => {
    const definition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', InputPath: 'nope', Parameters: { 'x.$': 'States.ArrayRange(1, 2000, 1)' }, ResultPath: '$.a[*]', Next: 'B' },
        B: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $sum( %}', End: true },
      },
    };
    const found = errors(definition);
    expect(found.map((d) => d.location)).toEqual(['/States/A/InputPath', '/States/A/Parameters', '/States/A/ResultPath', '/States/B/Output']);
    expect(found[0].message).toBe("The value 'nope' is not a valid JSONPath: a path must begin with \"$\"");
    expect(found[1].message).toContain('States.ArrayRange can generate at most 1000 items');
    expect(found[3].message).toContain("The JSONata expression '$sum(' specified for the field 'Output' is invalid");
  });

  it('rejects fields of the other query language', () => {
    const definition = { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', InputPath: '$.a', End: true } } };
    expect(errors(definition)).toEqual([
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/A', message: "The field 'InputPath' is not supported for the JSONata query language" },
    ]);
    const back = { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', QueryLanguage: 'JSONPath', End: true } } };
    expect(errors(back)).toEqual([
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/A/QueryLanguage', message: "A state cannot use 'JSONPath' when the state machine's QueryLanguage is 'JSONata'" },
    ]);
  });

  it('checks Retry and Catch', () => {
    const definition = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: FN,
          Retry: [{ ErrorEquals: ['States.ALL', 'X'], BackoffRate: 0.5, JitterStrategy: 'SOME' }, { ErrorEquals: [] }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Gone' }],
          End: true,
        },
      },
    };
    expect(errors(definition)).toEqual([
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/T/Retry/0/ErrorEquals', message: "'States.ALL' must appear alone in 'ErrorEquals'" },
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/T/Retry/0', message: "A Retrier with 'States.ALL' in 'ErrorEquals' must be the last Retrier" },
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/T/Retry/0/BackoffRate', message: "The value for the field 'BackoffRate' must be greater than or equal to 1.0" },
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/T/Retry/0/JitterStrategy', message: "The value for the field 'JitterStrategy' must be one of [FULL, NONE]" },
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/T/Retry/1/ErrorEquals', message: "The value for the field 'ErrorEquals' must be a non-empty array of STRING" },
      { code: 'MISSING_TRANSITION_TARGET', location: '/States/T/Catch/0/Next', message: "Missing 'Next' target: Gone" },
    ]);
  });

  it('checks Wait, Task timeouts, Fail and Map fields', () => {
    const definition = {
      StartAt: 'W',
      States: {
        W: { Type: 'Wait', Seconds: 5, Timestamp: '2020-01-01T00:00:00Z', Next: 'T' },
        T: { Type: 'Task', Resource: 'not-an-arn', TimeoutSeconds: 10, HeartbeatSeconds: 10, Next: 'M' },
        M: { Type: 'Map', ToleratedFailureCount: 1, ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, Next: 'F' },
        F: { Type: 'Fail', Error: 'E', ErrorPath: '$.e' },
      },
    };
    expect(errors(definition)).toEqual([
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/W', message: 'A Wait state must have exactly one of the fields [Seconds, Timestamp, SecondsPath, TimestampPath], but has Seconds, Timestamp' },
      { code: 'INVALID_RESOURCE', location: '/States/T/Resource', message: 'The resource provided "not-an-arn" is not recognized. The value is not a valid resource ARN.' },
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/T/HeartbeatSeconds', message: "The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'" },
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/M', message: "The field 'ToleratedFailureCount' is only supported by a Map state in DISTRIBUTED mode" },
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/F', message: "The fields 'Error' and 'ErrorPath' are mutually exclusive" },
    ]);
  });

  it('checks Choice rules and their targets', () => {
    const definition = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 'x', Next: 'D' }, { Variable: '$.b', IsNull: true }], Default: 'Nowhere' },
        D: { Type: 'Succeed' },
      },
    };
    expect(errors(definition)).toEqual([
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/C/Choices/0', message: "The value of 'NumericEquals' must be a number" },
      { code: 'SCHEMA_VALIDATION_FAILED', location: '/States/C/Choices/1', message: 'These fields are required: [Next]' },
      { code: 'MISSING_TRANSITION_TARGET', location: '/States/C/Default', message: "Missing 'Default' target: Nowhere" },
    ]);
  });

  it('rejects invalid variable names in Assign', () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', Assign: { '1x': 1, states: 2 }, End: true } } };
    expect(errors(definition).map((d) => d.message)).toEqual([
      "'1x' is not a valid variable name: use letters, digits and underscores, not starting with a digit, and not 'states'",
      "'states' is not a valid variable name: use letters, digits and underscores, not starting with a digit, and not 'states'",
    ]);
  });
});
