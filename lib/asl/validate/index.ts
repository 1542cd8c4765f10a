/**
 * Definition validation, as ValidateStateMachineDefinition does it: every
 * problem at once, each with a code, a location and a message.
 */
import { compileCondition } from '../choice';
import { checkServiceParameters, checkServiceResource } from '../integrations/check';
import { DefinitionSyntaxError, type Diagnostic } from '../diagnostics';
import { compileIntrinsic, isIntrinsicInvocation } from '../intrinsics';
import { isJsonObject, type JsonObject, type JsonValue } from '../json';
import { compileJsonata } from '../jsonata';
import { compilePath, compileResultPath, compileTemplate } from '../jsonpath';
import type { QueryLanguage, StateType } from '../model';
import { checkNesting } from './nesting';
import { checkDistributedMap, checkRecovery } from './rules';
import {
  BRANCH_FIELDS,
  MACHINE_FIELDS,
  PATH_FIELDS,
  PROCESSOR_FIELDS,
  REFERENCE_PATH_FIELDS,
  STATE_FIELDS,
  STATE_TYPES,
  TEMPLATE_FIELDS,
} from './fields';
import { meets, pointerSegment, type Expectation } from './values';

/** Validates a parsed definition (any JSON). Returns every diagnostic found; empty when valid. */
export function validateDefinition(definition: unknown): Diagnostic[] {
  // Checked first and alone: everything after it recurses over the definition.
  const tooDeep = checkNesting(definition);
  if (tooDeep) return [tooDeep];
  const validator = new Validator();
  validator.machine(definition);
  return validator.diagnostics;
}

/** "State names ... MUST be unique within the scope of the whole state machine" and at most 80 characters. */
const MAX_STATE_NAME = 80;

/** Fields with nested structure that the generic JSONata compile must not walk as expressions. */
const STRUCTURAL = new Set(['Type', 'Comment', 'QueryLanguage', 'Next', 'End', 'Resource', 'Retry', 'Catch', 'Choices', 'Default', 'Branches', 'ItemProcessor', 'Iterator']);

/** Collects diagnostics while walking a definition. */
export class Validator {
  readonly diagnostics: Diagnostic[] = [];
  private readonly stateNames = new Map<string, string>();

  report(code: string, location: string, message: string, severity: Diagnostic['severity'] = 'ERROR'): void {
    this.diagnostics.push({ severity, code, location, message });
  }

  schema(location: string, message: string): void {
    this.report('SCHEMA_VALIDATION_FAILED', location, message);
  }

  /** Reports `field` unless it meets the expectation. Returns whether it did. */
  expect(owner: JsonObject, field: string, expectation: Expectation, location: string): boolean {
    const value = owner[field];
    if (value === undefined || meets(value, expectation)) return true;
    this.schema(`${location}/${field}`, `The value for the field '${field}' must be a ${expectation}`);
    return false;
  }

  /** Runs a compiler and turns its DefinitionSyntaxError into a diagnostic at `location`. */
  compile(location: string, run: () => unknown): void {
    try {
      run();
    } catch (err) {
      if (err instanceof DefinitionSyntaxError) this.report(err.code, location, err.message);
      else throw err;
    }
  }

  machine(definition: unknown): void {
    if (!isJsonObject(definition)) {
      this.report('SCHEMA_VALIDATION_FAILED', '', 'The state machine definition must be a JSON object');
      return;
    }
    this.unknownFields(definition, MACHINE_FIELDS, '');
    const ql = this.queryLanguage(definition, '', 'JSONPath');
    this.expect(definition, 'TimeoutSeconds', 'POSITIVE_INTEGER', '');
    this.expect(definition, 'Version', 'STRING', '');
    this.scope(definition, '', ql);
  }

  private queryLanguage(owner: JsonObject, location: string, inherited: QueryLanguage): QueryLanguage {
    const value = owner.QueryLanguage;
    if (value === undefined) return inherited;
    if (value !== 'JSONPath' && value !== 'JSONata') {
      this.schema(`${location}/QueryLanguage`, "The value for the field 'QueryLanguage' must be one of [JSONPath, JSONata]");
      return inherited;
    }
    // A JSONata state machine cannot turn a state back to JSONPath.
    if (inherited === 'JSONata' && value === 'JSONPath') {
      this.schema(`${location}/QueryLanguage`, "A state cannot use 'JSONPath' when the state machine's QueryLanguage is 'JSONata'");
      return inherited;
    }
    return value;
  }

  private unknownFields(owner: JsonObject, allowed: ReadonlySet<string>, location: string): void {
    for (const key of Object.keys(owner)) {
      if (!allowed.has(key)) this.schema(location, `The field '${key}' is not supported by Step Functions`);
    }
  }

  /** A list of states: the machine, a Parallel branch, or a Map processor. */
  scope(def: JsonObject, pointer: string, ql: QueryLanguage): void {
    const missing = ['StartAt', 'States'].filter((f) => def[f] === undefined);
    if (missing.length > 0) this.schema(pointer, `These fields are required: [${missing.join(', ')}]`);
    if (!this.expect(def, 'StartAt', 'STRING', pointer) || !isJsonObject(def.States)) {
      if (def.States !== undefined && !isJsonObject(def.States)) this.schema(`${pointer}/States`, "The value for the field 'States' must be a OBJECT");
      return;
    }
    const states = def.States;
    const names = Object.keys(states);
    if (names.length === 0) this.schema(`${pointer}/States`, "The field 'States' must contain at least one state");
    for (const name of names) this.state(name, states[name], `${pointer}/States/${pointerSegment(name)}`, ql, states);
    const startAt = def.StartAt as string | undefined;
    if (startAt !== undefined && !(startAt in states)) {
      this.report('MISSING_TRANSITION_TARGET', `${pointer}/StartAt`, `Missing 'StartAt' target: ${startAt}`);
    }
    this.reachability(states, startAt, pointer);
  }

  private reachability(states: JsonObject, startAt: string | undefined, pointer: string): void {
    if (startAt === undefined || !(startAt in states)) return;
    const seen = new Set<string>([startAt]);
    const queue = [startAt];
    let terminal = false;
    while (queue.length > 0) {
      const state = states[queue.shift()!];
      if (!isJsonObject(state)) continue;
      if (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail') terminal = true;
      for (const next of successors(state)) {
        if (next in states && !seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    for (const name of Object.keys(states)) {
      if (!seen.has(name)) this.report('UNREACHABLE_STATE', `${pointer}/States/${pointerSegment(name)}`, `State '${name}' is not reachable`);
    }
    if (!terminal) this.report('MISSING_END_STATE', `${pointer}/States`, 'Workflow has no terminal state');
  }

  private state(name: string, value: JsonValue, location: string, parentQl: QueryLanguage, siblings: JsonObject): void {
    const first = this.stateNames.get(name);
    if (first !== undefined) this.report('DUPLICATE_STATE_NAME', location, `Duplicate State name: '${name}' (also at ${first})`);
    else this.stateNames.set(name, location);
    if (name.length === 0 || name.length > MAX_STATE_NAME) {
      this.report('INVALID_STATE_NAME', location, `State names must be 1 to ${MAX_STATE_NAME} characters long, but '${name}' has ${name.length}`);
    }
    if (!isJsonObject(value)) {
      this.schema(location, 'A state must be a JSON object');
      return;
    }
    const type = value.Type;
    if (type === undefined) {
      this.schema(location, 'These fields are required: [Type]');
      return;
    }
    if (typeof type !== 'string' || !STATE_TYPES.includes(type as StateType)) {
      this.schema(`${location}/Type`, `The value for the field 'Type' must be one of [${STATE_TYPES.join(', ')}]`);
      return;
    }
    const stateType = type as StateType;
    const ql = this.queryLanguage(value, location, parentQl);
    const fields = STATE_FIELDS[stateType];
    for (const [key, field] of Object.entries(value)) {
      const language = fields[key];
      if (language === undefined) this.schema(location, `The field '${key}' is not supported by Step Functions`);
      else if (language !== 'both' && language !== ql) {
        this.schema(location, `The field '${key}' is not supported for the ${ql} query language`);
      } else if (!STRUCTURAL.has(key)) this.fieldSyntax(key, field, `${location}/${key}`, ql, stateType);
    }
    this.transition(value, stateType, location, siblings);
    new StateRules(this, value, location, ql, siblings).check(stateType);
  }

  /** Compiles a field's embedded language (paths, templates, intrinsics, JSONata) to report syntax errors. */
  private fieldSyntax(key: string, value: JsonValue, location: string, ql: QueryLanguage, type: StateType): void {
    if (ql === 'JSONata') {
      if (key === 'Assign') this.assignNames(value, location);
      this.compile(location, () => compileJsonata(value, key));
      return;
    }
    if (PATH_FIELDS.has(key)) {
      if (value !== null && typeof value !== 'string') this.schema(location, `The value for the field '${key}' must be a STRING or null`);
      else if (value !== null) this.compile(location, () => compilePath(value));
    } else if (key === 'ResultPath') {
      if (value !== null && typeof value !== 'string') this.schema(location, "The value for the field 'ResultPath' must be a STRING or null");
      else this.compile(location, () => compileResultPath(value));
    } else if (REFERENCE_PATH_FIELDS.has(key)) {
      if (typeof value !== 'string') this.schema(location, `The value for the field '${key}' must be a STRING`);
      else this.compile(location, () => compilePath(value, { reference: true }));
    } else if (key === 'ErrorPath' || key === 'CausePath') {
      if (typeof value !== 'string') this.schema(location, `The value for the field '${key}' must be a STRING`);
      else this.compile(location, () => (isIntrinsicInvocation(value) ? compileIntrinsic(value) : compilePath(value, { reference: true })));
    } else if (TEMPLATE_FIELDS.has(key) && !(type === 'Pass' && key === 'Parameters' && !isJsonObject(value))) {
      if (!isJsonObject(value) && key !== 'Parameters') this.schema(location, `The value for the field '${key}' must be a OBJECT`);
      if (key === 'Assign') this.assignNames(value, location);
      this.compile(location, () => compileTemplate(value));
    }
  }

  /** Variable names: "must be a valid JSONata variable name ... and cannot be 'states'". */
  assignNames(value: JsonValue, location: string): void {
    if (!isJsonObject(value)) {
      this.schema(location, "The value for the field 'Assign' must be a OBJECT");
      return;
    }
    for (const key of Object.keys(value)) {
      const name = key.endsWith('.$') ? key.slice(0, -2) : key;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name === 'states') {
        this.schema(location, `'${name}' is not a valid variable name: use letters, digits and underscores, not starting with a digit, and not 'states'`);
      }
    }
  }

  private transition(state: JsonObject, type: StateType, location: string, siblings: JsonObject): void {
    if (type === 'Choice' || type === 'Succeed' || type === 'Fail') return;
    const hasNext = state.Next !== undefined;
    const hasEnd = state.End !== undefined;
    if (hasNext && hasEnd) this.schema(location, "The fields 'Next' and 'End' are mutually exclusive");
    else if (!hasNext && !hasEnd) this.schema(location, "This state must have either a 'Next' field or 'End': true");
    if (hasEnd && state.End !== true) this.schema(`${location}/End`, "The value for the field 'End' must be true");
    if (hasNext) this.target(state, 'Next', location, siblings);
  }

  /** Checks that `owner[field]` names a state of this scope. */
  target(owner: JsonObject, field: string, location: string, siblings: JsonObject): void {
    const next = owner[field];
    if (typeof next !== 'string') {
      this.schema(`${location}/${field}`, `The value for the field '${field}' must be a STRING`);
      return;
    }
    if (!(next in siblings)) this.report('MISSING_TRANSITION_TARGET', `${location}/${field}`, `Missing '${field}' target: ${next}`);
  }

  /** A nested list of states (Parallel branch, Map processor). */
  nested(def: JsonValue, pointer: string, ql: QueryLanguage, allowed: ReadonlySet<string>): void {
    if (!isJsonObject(def)) {
      this.schema(pointer, 'A branch or item processor must be a JSON object');
      return;
    }
    this.unknownFields(def, allowed, pointer);
    this.scope(def, pointer, ql);
  }
}

/** What `Next`, `Default`, Choices and Catchers lead to. */
function successors(state: JsonObject): string[] {
  const out: string[] = [];
  if (typeof state.Next === 'string') out.push(state.Next);
  if (typeof state.Default === 'string') out.push(state.Default);
  for (const list of [state.Choices, state.Catch]) {
    if (Array.isArray(list)) for (const item of list) if (isJsonObject(item) && typeof item.Next === 'string') out.push(item.Next);
  }
  return out;
}

/** Type-specific rules for one state. */
class StateRules {
  constructor(
    private readonly v: Validator,
    private readonly state: JsonObject,
    private readonly location: string,
    private readonly ql: QueryLanguage,
    private readonly siblings: JsonObject,
  ) {}

  check(type: StateType): void {
    switch (type) {
      case 'Task':
        return this.task();
      case 'Choice':
        return this.choice();
      case 'Wait':
        return this.wait();
      case 'Fail':
        return this.fail();
      case 'Parallel':
        return this.parallel();
      case 'Map':
        return this.map();
      case 'Pass':
      case 'Succeed':
        return;
    }
  }

  /** A number field that may also be a JSONata expression in JSONata states. */
  private numeric(field: string, expectation: Expectation): number | undefined {
    const value = this.state[field];
    if (value === undefined) return undefined;
    if (this.ql === 'JSONata' && typeof value === 'string') return undefined;
    return this.v.expect(this.state, field, expectation, this.location) ? (value as number) : undefined;
  }

  private exclusive(a: string, b: string): void {
    if (this.state[a] !== undefined && this.state[b] !== undefined) this.v.schema(this.location, `The fields '${a}' and '${b}' are mutually exclusive`);
  }

  private task(): void {
    const { state, location, v } = this;
    if (state.Resource === undefined) v.schema(location, 'These fields are required: [Resource]');
    else if (typeof state.Resource !== 'string' || !/^arn:[^:]+:[^:]+:/.test(state.Resource)) {
      v.report('INVALID_RESOURCE', `${location}/Resource`, `The resource provided ${JSON.stringify(state.Resource)} is not recognized. The value is not a valid resource ARN.`);
    } else {
      const refused = checkServiceResource(state.Resource);
      if (refused !== undefined) v.report('INVALID_RESOURCE', `${location}/Resource`, refused);
      else {
        const field = state.Arguments !== undefined ? 'Arguments' : 'Parameters';
        for (const p of checkServiceParameters(state.Resource, state[field])) v.schema(p.field === 'Parameters' ? `${location}/${field}` : `${location}/${field}/${p.field}`, p.message);
      }
    }
    const timeout = this.numeric('TimeoutSeconds', 'POSITIVE_INTEGER');
    const heartbeat = this.numeric('HeartbeatSeconds', 'POSITIVE_INTEGER');
    this.exclusive('TimeoutSeconds', 'TimeoutSecondsPath');
    this.exclusive('HeartbeatSeconds', 'HeartbeatSecondsPath');
    if (timeout !== undefined && heartbeat !== undefined && heartbeat >= timeout) {
      v.schema(`${location}/HeartbeatSeconds`, "The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'");
    }
    checkRecovery(v, state, location, this.ql, this.siblings);
  }

  private choice(): void {
    const { state, location, v } = this;
    if (!Array.isArray(state.Choices) || state.Choices.length === 0) {
      v.schema(location, state.Choices === undefined ? 'These fields are required: [Choices]' : "The field 'Choices' must be a non-empty array");
    } else {
      state.Choices.forEach((rule, i) => {
        const at = `${location}/Choices/${i}`;
        if (!isJsonObject(rule)) {
          v.schema(at, 'A Choice Rule must be a JSON object');
          return;
        }
        if (rule.Next === undefined) v.schema(at, 'These fields are required: [Next]');
        else v.target(rule, 'Next', at, this.siblings);
        if (this.ql === 'JSONPath' && rule.Output !== undefined) v.schema(at, "The field 'Output' is not supported for the JSONPath query language");
        if (this.ql === 'JSONPath' && rule.Condition !== undefined) v.schema(at, "The field 'Condition' is not supported for the JSONPath query language");
        if (rule.Assign !== undefined) {
          v.assignNames(rule.Assign, `${at}/Assign`);
          v.compile(`${at}/Assign`, () => (this.ql === 'JSONata' ? compileJsonata(rule.Assign!, 'Assign') : compileTemplate(rule.Assign!)));
        }
        if (rule.Output !== undefined && this.ql === 'JSONata') v.compile(`${at}/Output`, () => compileJsonata(rule.Output!, 'Output'));
        v.compile(at, () => compileCondition(rule, this.ql));
      });
    }
    if (state.Default !== undefined) v.target(state, 'Default', location, this.siblings);
  }

  private wait(): void {
    const { state, location, v } = this;
    const present = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((f) => state[f] !== undefined);
    if (present.length !== 1) {
      v.schema(location, `A Wait state must have exactly one of the fields [Seconds, Timestamp, SecondsPath, TimestampPath], but has ${present.length === 0 ? 'none' : present.join(', ')}`);
    }
    this.numeric('Seconds', 'NON_NEGATIVE_INTEGER');
    const ts = state.Timestamp;
    if (typeof ts === 'string' && !(this.ql === 'JSONata' && ts.startsWith('{%'))) {
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(ts)) {
        v.schema(`${location}/Timestamp`, "The value for the field 'Timestamp' must be an RFC 3339 timestamp, e.g. 2016-03-14T01:59:00Z");
      }
    } else if (ts !== undefined && typeof ts !== 'string') v.schema(`${location}/Timestamp`, "The value for the field 'Timestamp' must be a STRING");
  }

  private fail(): void {
    this.exclusive('Error', 'ErrorPath');
    this.exclusive('Cause', 'CausePath');
    for (const f of ['Error', 'Cause']) this.v.expect(this.state, f, 'STRING', this.location);
  }

  private parallel(): void {
    const { state, location, v } = this;
    if (!Array.isArray(state.Branches) || state.Branches.length === 0) {
      v.schema(location, state.Branches === undefined ? 'These fields are required: [Branches]' : "The field 'Branches' must be a non-empty array");
    } else {
      state.Branches.forEach((branch, i) => v.nested(branch, `${location}/Branches/${i}`, this.ql, BRANCH_FIELDS));
    }
    checkRecovery(v, state, location, this.ql, this.siblings);
  }

  private map(): void {
    const { state, location, v } = this;
    const field = state.ItemProcessor !== undefined ? 'ItemProcessor' : state.Iterator !== undefined ? 'Iterator' : undefined;
    if (field === undefined) v.schema(location, 'These fields are required: [ItemProcessor]');
    this.exclusive('ItemProcessor', 'Iterator');
    this.exclusive('ItemSelector', 'Parameters');
    this.exclusive('MaxConcurrency', 'MaxConcurrencyPath');
    this.exclusive('ToleratedFailurePercentage', 'ToleratedFailurePercentagePath');
    this.exclusive('ToleratedFailureCount', 'ToleratedFailureCountPath');
    this.numeric('MaxConcurrency', 'NON_NEGATIVE_INTEGER');
    this.numeric('ToleratedFailureCount', 'NON_NEGATIVE_INTEGER');
    const percentage = this.numeric('ToleratedFailurePercentage', 'NUMBER');
    if (percentage !== undefined && (percentage < 0 || percentage > 100)) {
      v.schema(`${location}/ToleratedFailurePercentage`, "The value for the field 'ToleratedFailurePercentage' must be between 0 and 100");
    }
    if (field !== undefined) {
      const processor = state[field];
      v.nested(processor, `${location}/${field}`, this.ql, PROCESSOR_FIELDS);
      checkDistributedMap(v, state, isJsonObject(processor) ? processor : {}, location, `${location}/${field}`);
    }
    checkRecovery(v, state, location, this.ql, this.siblings);
  }
}

