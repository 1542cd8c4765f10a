/**
 * DescribeStateMachine's `variableReferences`: "A map of state name to a
 * list of variables referenced by that state. States that do not use
 * variable references will not be shown in the response." Read from the
 * definition as written: a JSONPath state references `$name` in its paths,
 * `.$` fields, Choice variables and intrinsic arguments; a JSONata state
 * references `$name` in its `{% … %}` expressions, except `$states`, function
 * calls (`$sum(…)`) and names the expression binds itself (`$x := …`,
 * `function($x)`). States of Parallel branches and Map processors are listed
 * under their own names.
 */
import type { JsonObject, JsonValue } from '../json';

type Language = 'JSONPath' | 'JSONata';

/** `$name`, not `$$`, `$.` or `$[`: a variable at the start of a path or an intrinsic argument. */
const PATH_VARIABLE = /^\$([A-Za-z_][A-Za-z0-9_]*)/;
const JSONATA = /^\{%([\s\S]*)%\}$/;
const TOKEN = /\$([A-Za-z_][A-Za-z0-9_]*)(\s*\()?/g;
const QUOTED = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g;

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The variables a JSONata expression reads: `$name` outside string literals, neither called nor bound by the expression. */
function jsonataReferences(expression: string, out: Set<string>): void {
  const code = expression.replace(QUOTED, '""');
  const bound = new Set<string>(['states']);
  for (const m of code.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)\s*:=/g)) bound.add(m[1]);
  for (const m of code.matchAll(/function\s*\(([^)]*)\)/g)) for (const p of m[1].matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) bound.add(p[1]);
  for (const m of code.matchAll(TOKEN)) if (m[2] === undefined && !bound.has(m[1])) out.add(m[1]);
}

/** The variables an intrinsic function's arguments read (`States.Format('{}', $name)`), outside its string literals. */
function intrinsicReferences(text: string, out: Set<string>): void {
  for (const m of text.replace(QUOTED, "''").matchAll(TOKEN)) if (m[2] === undefined) out.add(m[1]);
}

/** The variables one string of a state reads, in the state's query language (`path`: the field takes a path or an intrinsic). */
function stringReferences(text: string, language: Language, path: boolean, out: Set<string>): void {
  const jsonata = JSONATA.exec(text.trim());
  if (language === 'JSONata') {
    if (jsonata) jsonataReferences(jsonata[1], out);
    return;
  }
  if (!path) return;
  if (text.startsWith('States.')) intrinsicReferences(text, out);
  else {
    const variable = PATH_VARIABLE.exec(text);
    if (variable) out.add(variable[1]);
  }
}

/** Fields of a JSONPath state whose strings are paths (the others' strings are paths only under a key ending `.$`). */
const PATH_FIELD = /(?:Path|^Variable)$/;
/** Fields holding nested states: their states are listed on their own. */
const NESTED = new Set(['Branches', 'ItemProcessor', 'Iterator']);

/** Walks one value of a state, collecting the variables it reads. */
function valueReferences(value: JsonValue, language: Language, path: boolean, out: Set<string>): void {
  if (typeof value === 'string') stringReferences(value, language, path, out);
  else if (Array.isArray(value)) for (const v of value) valueReferences(v, language, path, out);
  else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (NESTED.has(key)) continue;
      valueReferences(v, language, path || key.endsWith('.$') || PATH_FIELD.test(key), out);
    }
  }
}

/** The states of one scope (and the scopes nested in them), their references added to `out` by state name. */
function scopeReferences(scope: JsonObject, inherited: Language, out: Record<string, string[]>): void {
  const language = (scope.QueryLanguage as Language | undefined) ?? inherited;
  const states = isObject(scope.States) ? scope.States : {};
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    const stateLanguage = (state.QueryLanguage as Language | undefined) ?? language;
    const found = new Set<string>();
    for (const [key, v] of Object.entries(state)) {
      if (NESTED.has(key) || key === 'Assign' || key === 'Type' || key === 'Next' || key === 'Default' || key === 'Comment') continue;
      valueReferences(v, stateLanguage, key.endsWith('.$') || PATH_FIELD.test(key), found);
    }
    // Assign's values read variables too; its keys are the variables it sets, not references.
    if (isObject(state.Assign)) for (const [key, v] of Object.entries(state.Assign)) valueReferences(v, stateLanguage, key.endsWith('.$'), found);
    if (found.size > 0) out[name] = [...found];
    for (const nested of [...(Array.isArray(state.Branches) ? state.Branches : []), state.ItemProcessor, state.Iterator]) {
      if (isObject(nested)) scopeReferences(nested, stateLanguage, out);
    }
  }
}

/** Each state's referenced variables, in the order the definition first names them; states that read none are left out. */
export function variableReferences(definition: JsonValue): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (isObject(definition)) scopeReferences(definition, (definition.QueryLanguage as Language | undefined) ?? 'JSONPath', out);
  return out;
}
