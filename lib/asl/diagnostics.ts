/**
 * Definition-time problems. A definition is validated once, every problem is
 * collected with its location, and nothing runs until it is clean — the way
 * Step Functions' ValidateStateMachineDefinition reports them.
 */

/** One problem found in a definition. Shape of the API's ValidateStateMachineDefinitionDiagnostic. */
export interface Diagnostic {
  /** `ERROR` blocks the definition; `WARNING` (e.g. an unreachable state when AWS only warns) does not. */
  severity: 'ERROR' | 'WARNING';
  /** Step Functions' diagnostic code, e.g. `SCHEMA_VALIDATION_FAILED`, `MISSING_TRANSITION_TARGET`. */
  code: string;
  /** A JSON pointer into the definition, e.g. `/States/Charge/Next`. */
  location: string;
  /** What is wrong, in Step Functions' words where it has them. */
  message: string;
}

/**
 * Thrown by a compiler (path, intrinsic, JSONata, template) when its source
 * text is malformed. The validator catches it and turns it into a
 * {@link Diagnostic} at the field's location.
 */
export class DefinitionSyntaxError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'DefinitionSyntaxError';
    this.code = code;
  }
}

/** Thrown when a definition with errors is compiled or run; carries every diagnostic. */
export class InvalidDefinitionError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(
      `Invalid State Machine Definition: ${diagnostics
        .filter((d) => d.severity === 'ERROR')
        .map((d) => `'${d.code}: ${d.message}' at ${d.location}`)
        .join(', ')}`,
    );
    this.name = 'InvalidDefinitionError';
    this.diagnostics = diagnostics;
  }
}
