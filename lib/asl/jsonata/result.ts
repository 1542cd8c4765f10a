/**
 * Turns what JSONata returns into plain JSON: its sequences become arrays,
 * and a function (which has no JSON form) is an evaluation error.
 */
import { QueryEvaluationError } from '../errors';
import { setJsonField, type JsonObject, type JsonValue } from '../json';

export function toJsonResult(value: unknown, source: string, field: string): JsonValue {
  if (typeof value === 'function') {
    throw new QueryEvaluationError(`The JSONata expression '${source}' specified for the field '${field}' returned a function, which is not a JSON value.`, field);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new QueryEvaluationError(`The JSONata expression '${source}' specified for the field '${field}' returned a number that is not finite.`, field);
  }
  if (value === null || typeof value !== 'object') return value as JsonValue;
  if (Array.isArray(value)) {
    let changed = 'sequence' in value || 'keepSingleton' in value;
    const items = value.map((item: unknown) => {
      const converted = toJsonResult(item, source, field);
      if (converted !== item) changed = true;
      return converted;
    });
    return changed ? items : (value as JsonValue[]);
  }
  let copy: JsonObject | undefined;
  for (const [key, item] of Object.entries(value)) {
    const converted = item === undefined ? undefined : toJsonResult(item, source, field);
    if (converted !== item) {
      copy ??= { ...(value as JsonObject) };
      if (converted === undefined) delete copy[key];
      else setJsonField(copy, key, converted);
    }
  }
  return copy ?? (value as JsonObject);
}
