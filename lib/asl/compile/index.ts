/**
 * Definition → {@link CompiledStateMachine}: validate everything once, then
 * compile every path, template, intrinsic, JSONata expression and choice rule.
 */
import { InvalidDefinitionError, type Diagnostic } from '../diagnostics';
import type { JsonObject, JsonValue } from '../json';
import type { CompiledScope, CompiledState, CompiledStateMachine, QueryLanguage } from '../model';
import { validateDefinition } from '../validate';
import type { FlowObserver } from './dataflow';
import { compileState, type NestedScopes } from './states';

/** How to compile a definition beyond the defaults. */
export interface CompileOptions {
  /** Observe the data flow of the state at this JSON pointer (e.g. `/States/Charge`): TestState's inspection. */
  readonly observe?: { readonly location: string; readonly observer: FlowObserver };
}

/**
 * Validates and compiles a definition (a parsed JSON object or its text).
 * Throws {@link InvalidDefinitionError} with every diagnostic when invalid.
 */
export function compileStateMachine(definition: unknown, options: CompileOptions = {}): CompiledStateMachine {
  const parsed = typeof definition === 'string' ? parseDefinitionText(definition) : definition;
  const diagnostics = validateDefinition(parsed);
  if (diagnostics.some((d) => d.severity === 'ERROR')) throw new InvalidDefinitionError(diagnostics);
  const root = parsed as JsonObject;
  const queryLanguage = (root.QueryLanguage as QueryLanguage | undefined) ?? 'JSONPath';
  const scopes = new Map<string, CompiledScope>();
  const nested: NestedScopes = {
    add(pointer, def, language, isolatedVariables) {
      compileScope(pointer, def, language, isolatedVariables);
      return pointer;
    },
  };
  function compileScope(pointer: string, def: JsonObject, language: QueryLanguage, isolatedVariables: boolean): void {
    const states = new Map<string, CompiledState>();
    const scopeLanguage = (def.QueryLanguage as QueryLanguage | undefined) ?? language;
    for (const [name, state] of Object.entries(def.States as JsonObject)) {
      const location = `${pointer}/States/${name}`;
      const observer = options.observe?.location === location ? options.observe.observer : undefined;
      states.set(name, compileState(name, state as JsonObject, location, scopeLanguage, nested, observer));
    }
    scopes.set(pointer, { pointer, startAt: def.StartAt as string, states, isolatedVariables });
  }
  compileScope('', root, queryLanguage, false);
  return Object.freeze({
    definition: parsed as JsonValue,
    queryLanguage,
    timeoutSeconds: root.TimeoutSeconds as number | undefined,
    comment: root.Comment as string | undefined,
    scopes,
  });
}

/** Parses definition text, reporting malformed JSON the way CreateStateMachine does. */
export function parseDefinitionText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidDefinitionError([
      {
        severity: 'ERROR',
        code: 'INVALID_JSON_DESCRIPTION',
        location: '',
        message: `Invalid JSON: ${(err as Error).message}`,
      },
    ]);
  }
}

/**
 * Every diagnostic for a definition given as JSON text or as a parsed value;
 * malformed text is its one INVALID_JSON_DESCRIPTION diagnostic.
 */
export function validateDefinitionSource(definition: unknown): Diagnostic[] {
  try {
    const parsed = typeof definition === 'string' ? parseDefinitionText(definition) : definition;
    return validateDefinition(parsed);
  } catch (err) {
    if (err instanceof InvalidDefinitionError) return [...err.diagnostics];
    throw err;
  }
}
