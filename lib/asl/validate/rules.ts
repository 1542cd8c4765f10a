/** Retry/Catch rules and the DISTRIBUTED Map's fields. */
import { StatesErrorName } from '../errors';
import { isJsonObject, type JsonObject } from '../json';
import { compileJsonata } from '../jsonata';
import { compileResultPath } from '../jsonpath';
import type { QueryLanguage } from '../model';
import { CATCHER_FIELDS, RETRIER_FIELDS } from './fields';
import type { Validator } from './index';

/**
 * "The reserved name States.ALL ... MUST appear alone in its ErrorEquals
 * array and MUST appear in the last Retrier / Catcher" (States Language,
 * Error names and Retrying after error).
 */
function checkErrorEquals(v: Validator, owner: JsonObject, location: string, isLast: boolean, kind: string): void {
  const errors = owner.ErrorEquals;
  if (errors === undefined) {
    v.schema(location, 'These fields are required: [ErrorEquals]');
    return;
  }
  if (!Array.isArray(errors) || errors.length === 0 || errors.some((e) => typeof e !== 'string')) {
    v.schema(`${location}/ErrorEquals`, "The value for the field 'ErrorEquals' must be a non-empty array of STRING");
    return;
  }
  if (errors.includes(StatesErrorName.ALL)) {
    if (errors.length > 1) v.schema(`${location}/ErrorEquals`, `'${StatesErrorName.ALL}' must appear alone in 'ErrorEquals'`);
    if (!isLast) v.schema(location, `A ${kind} with '${StatesErrorName.ALL}' in 'ErrorEquals' must be the last ${kind}`);
  }
}

export function checkRecovery(v: Validator, state: JsonObject, location: string, ql: QueryLanguage, siblings: JsonObject): void {
  if (state.Retry !== undefined) {
    if (!Array.isArray(state.Retry)) v.schema(`${location}/Retry`, "The value for the field 'Retry' must be a ARRAY");
    else
      state.Retry.forEach((retrier, i, all) => {
        const at = `${location}/Retry/${i}`;
        if (!isJsonObject(retrier)) {
          v.schema(at, 'A Retrier must be a JSON object');
          return;
        }
        for (const key of Object.keys(retrier)) if (!RETRIER_FIELDS.has(key)) v.schema(at, `The field '${key}' is not supported by Step Functions`);
        checkErrorEquals(v, retrier, at, i === all.length - 1, 'Retrier');
        v.expect(retrier, 'IntervalSeconds', 'POSITIVE_INTEGER', at);
        v.expect(retrier, 'MaxAttempts', 'NON_NEGATIVE_INTEGER', at);
        v.expect(retrier, 'MaxDelaySeconds', 'POSITIVE_INTEGER', at);
        if (v.expect(retrier, 'BackoffRate', 'NUMBER', at) && typeof retrier.BackoffRate === 'number' && retrier.BackoffRate < 1) {
          v.schema(`${at}/BackoffRate`, "The value for the field 'BackoffRate' must be greater than or equal to 1.0");
        }
        if (retrier.JitterStrategy !== undefined && retrier.JitterStrategy !== 'FULL' && retrier.JitterStrategy !== 'NONE') {
          v.schema(`${at}/JitterStrategy`, "The value for the field 'JitterStrategy' must be one of [FULL, NONE]");
        }
      });
  }
  if (state.Catch !== undefined) {
    if (!Array.isArray(state.Catch)) v.schema(`${location}/Catch`, "The value for the field 'Catch' must be a ARRAY");
    else
      state.Catch.forEach((catcher, i, all) => {
        const at = `${location}/Catch/${i}`;
        if (!isJsonObject(catcher)) {
          v.schema(at, 'A Catcher must be a JSON object');
          return;
        }
        for (const [key, value] of Object.entries(catcher)) {
          const language = CATCHER_FIELDS[key];
          if (language === undefined) v.schema(at, `The field '${key}' is not supported by Step Functions`);
          else if (language !== 'both' && language !== ql) v.schema(at, `The field '${key}' is not supported for the ${ql} query language`);
          else if (key === 'ResultPath' && (value === null || typeof value === 'string')) v.compile(`${at}/ResultPath`, () => compileResultPath(value));
          else if (key === 'Output') v.compile(`${at}/Output`, () => compileJsonata(value, 'Output'));
          else if (key === 'Assign') {
            v.assignNames(value, `${at}/Assign`);
            v.compile(`${at}/Assign`, () => (ql === 'JSONata' ? compileJsonata(value, 'Assign') : undefined));
          }
        }
        checkErrorEquals(v, catcher, at, i === all.length - 1, 'Catcher');
        if (catcher.Next === undefined) v.schema(at, 'These fields are required: [Next]');
        else v.target(catcher, 'Next', at, siblings);
      });
  }
}

/** Fields only a DISTRIBUTED Map accepts. */
const DISTRIBUTED_ONLY = ['ItemReader', 'ItemBatcher', 'ResultWriter', 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', 'ToleratedFailureCount', 'ToleratedFailureCountPath', 'Label'];

export function checkDistributedMap(v: Validator, state: JsonObject, processor: JsonObject, location: string, processorLocation: string): void {
  const config = processor.ProcessorConfig;
  let mode = 'INLINE';
  if (config !== undefined) {
    if (!isJsonObject(config)) v.schema(`${processorLocation}/ProcessorConfig`, "The value for the field 'ProcessorConfig' must be a OBJECT");
    else {
      for (const key of Object.keys(config)) {
        if (key !== 'Mode' && key !== 'ExecutionType') v.schema(`${processorLocation}/ProcessorConfig`, `The field '${key}' is not supported by Step Functions`);
      }
      if (config.Mode !== undefined && config.Mode !== 'INLINE' && config.Mode !== 'DISTRIBUTED') {
        v.schema(`${processorLocation}/ProcessorConfig/Mode`, "The value for the field 'Mode' must be one of [INLINE, DISTRIBUTED]");
      }
      if (config.ExecutionType !== undefined && config.ExecutionType !== 'STANDARD' && config.ExecutionType !== 'EXPRESS') {
        v.schema(`${processorLocation}/ProcessorConfig/ExecutionType`, "The value for the field 'ExecutionType' must be one of [STANDARD, EXPRESS]");
      }
      if (typeof config.Mode === 'string') mode = config.Mode;
    }
  }
  if (mode !== 'DISTRIBUTED') {
    for (const field of DISTRIBUTED_ONLY) {
      if (state[field] !== undefined) v.schema(location, `The field '${field}' is only supported by a Map state in DISTRIBUTED mode`);
    }
  }
  const batcher = state.ItemBatcher;
  if (batcher !== undefined) {
    if (!isJsonObject(batcher)) v.schema(`${location}/ItemBatcher`, "The value for the field 'ItemBatcher' must be a OBJECT");
    else {
      v.expect(batcher, 'MaxItemsPerBatch', 'POSITIVE_INTEGER', `${location}/ItemBatcher`);
      v.expect(batcher, 'MaxInputBytesPerBatch', 'POSITIVE_INTEGER', `${location}/ItemBatcher`);
    }
  }
  const reader = state.ItemReader;
  if (reader !== undefined && (!isJsonObject(reader) || typeof reader.Resource !== 'string')) {
    v.schema(`${location}/ItemReader`, "The field 'ItemReader' must be an object with a 'Resource'");
  }
}
