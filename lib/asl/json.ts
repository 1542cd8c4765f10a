/**
 * The JSON data model every state reads and writes.
 *
 * Values that cross a state boundary are treated as immutable: a state that
 * does not change its data passes the same object on, so a large payload
 * carried through many states is never copied.
 */
export type JsonPrimitive = string | number | boolean | null;
export type JsonArray = JsonValue[];
export interface JsonObject {
  [key: string]: JsonValue;
}
export type JsonValue = JsonPrimitive | JsonArray | JsonObject;

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a JSON array. */
export function isJsonArray(value: unknown): value is JsonArray {
  return Array.isArray(value);
}

/**
 * Sets `object[key] = value` as an own, enumerable data property.
 *
 * JSON treats `__proto__` as an ordinary key, but plain assignment of that
 * key sets the object's prototype instead (and the value is lost). Defining
 * the property keeps the key as data and touches no prototype.
 */
export function setJsonField<T>(object: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

/** Serialises a value the way Step Functions writes it into history and outputs (compact JSON). */
export function toJsonText(value: JsonValue | undefined): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** The JSON type name used in Step Functions' error messages. */
export function jsonTypeOf(value: JsonValue | undefined): 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'string' | 'number' | 'boolean' | 'object';
}

/** Structural equality of two JSON values (object key order does not matter). */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(b, key) || !jsonEquals(a[key], b[key])) return false;
  }
  return true;
}
