/**
 * Which fields each state type accepts, as data (the field tables of the
 * States Language and of the developer guide's "State fields" pages), and
 * which query language each field belongs to.
 */
import type { StateType } from '../model';

/** A field's query language: usable in both, or only in one of them. */
export type FieldLanguage = 'both' | 'JSONPath' | 'JSONata';

/** Fields every state may have. */
const COMMON: Record<string, FieldLanguage> = { Type: 'both', Comment: 'both', QueryLanguage: 'both' };

/** JSONPath input/output fields, and the JSONata replacement for them. */
const IO: Record<string, FieldLanguage> = { InputPath: 'JSONPath', OutputPath: 'JSONPath', Output: 'JSONata' };
const RESULT: Record<string, FieldLanguage> = { ResultPath: 'JSONPath', ResultSelector: 'JSONPath' };
const TRANSITION: Record<string, FieldLanguage> = { Next: 'both', End: 'both' };
const RECOVERY: Record<string, FieldLanguage> = { Retry: 'both', Catch: 'both' };

/** The fields of each state type. */
export const STATE_FIELDS: Readonly<Record<StateType, Readonly<Record<string, FieldLanguage>>>> = {
  Pass: { ...COMMON, ...IO, ...TRANSITION, Parameters: 'JSONPath', ResultPath: 'JSONPath', Result: 'both', Assign: 'both' },
  Task: {
    ...COMMON,
    ...IO,
    ...RESULT,
    ...TRANSITION,
    ...RECOVERY,
    Resource: 'both',
    Parameters: 'JSONPath',
    Arguments: 'JSONata',
    Assign: 'both',
    TimeoutSeconds: 'both',
    TimeoutSecondsPath: 'JSONPath',
    HeartbeatSeconds: 'both',
    HeartbeatSecondsPath: 'JSONPath',
    Credentials: 'both',
  },
  Choice: { ...COMMON, ...IO, Choices: 'both', Default: 'both', Assign: 'both' },
  Wait: { ...COMMON, ...IO, ...TRANSITION, Seconds: 'both', Timestamp: 'both', SecondsPath: 'JSONPath', TimestampPath: 'JSONPath', Assign: 'both' },
  Succeed: { ...COMMON, ...IO },
  Fail: { ...COMMON, Error: 'both', Cause: 'both', ErrorPath: 'JSONPath', CausePath: 'JSONPath' },
  Parallel: { ...COMMON, ...IO, ...RESULT, ...TRANSITION, ...RECOVERY, Branches: 'both', Parameters: 'JSONPath', Arguments: 'JSONata', Assign: 'both' },
  Map: {
    ...COMMON,
    ...IO,
    ...RESULT,
    ...TRANSITION,
    ...RECOVERY,
    ItemProcessor: 'both',
    Iterator: 'JSONPath',
    ItemsPath: 'JSONPath',
    Items: 'JSONata',
    ItemSelector: 'both',
    Parameters: 'JSONPath',
    ItemReader: 'both',
    ItemBatcher: 'both',
    ResultWriter: 'both',
    MaxConcurrency: 'both',
    MaxConcurrencyPath: 'JSONPath',
    ToleratedFailurePercentage: 'both',
    ToleratedFailurePercentagePath: 'JSONPath',
    ToleratedFailureCount: 'both',
    ToleratedFailureCountPath: 'JSONPath',
    Label: 'both',
    Assign: 'both',
  },
};

export const STATE_TYPES = Object.keys(STATE_FIELDS) as StateType[];

/** Top-level fields of a state machine, and of a Parallel branch or Map processor. */
export const MACHINE_FIELDS = new Set(['Comment', 'StartAt', 'States', 'Version', 'TimeoutSeconds', 'QueryLanguage']);
export const BRANCH_FIELDS = new Set(['Comment', 'StartAt', 'States']);
export const PROCESSOR_FIELDS = new Set(['Comment', 'StartAt', 'States', 'ProcessorConfig']);

export const RETRIER_FIELDS = new Set(['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment']);
export const CATCHER_FIELDS: Readonly<Record<string, FieldLanguage>> = {
  ErrorEquals: 'both',
  Next: 'both',
  Comment: 'both',
  Assign: 'both',
  ResultPath: 'JSONPath',
  Output: 'JSONata',
};

/** Fields whose value is a Reference Path (JSONPath states). */
export const REFERENCE_PATH_FIELDS = new Set([
  'ResultPath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'SecondsPath',
  'TimestampPath',
  'MaxConcurrencyPath',
  'ToleratedFailurePercentagePath',
  'ToleratedFailureCountPath',
]);

/** Fields whose value is a Path (any JSONPath). */
export const PATH_FIELDS = new Set(['InputPath', 'OutputPath', 'ItemsPath']);

/** Fields whose value is a payload template (JSONPath states). */
export const TEMPLATE_FIELDS = new Set(['Parameters', 'ResultSelector', 'ItemSelector', 'Assign', 'Credentials']);
