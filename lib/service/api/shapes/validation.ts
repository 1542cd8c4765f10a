/**
 * Request and response shapes of ValidateStateMachineDefinition and
 * TestState, named as Step Functions' API model names them, in their JSON
 * form (inputs and outputs as JSON text).
 */
import type { Diagnostic } from '../../../asl/diagnostics';

export interface ValidateStateMachineDefinitionInput {
  definition: string;
  type?: 'STANDARD' | 'EXPRESS';
  severity?: 'ERROR' | 'WARNING';
  maxResults?: number;
}

export interface ValidateStateMachineDefinitionDiagnostic {
  severity: Diagnostic['severity'];
  code: string;
  message: string;
  location: string;
}

export interface ValidateStateMachineDefinitionOutput {
  result: 'OK' | 'FAIL';
  diagnostics: ValidateStateMachineDefinitionDiagnostic[];
  truncated: boolean;
}

export type InspectionLevel = 'INFO' | 'DEBUG' | 'TRACE';

/** The mocked result (JSON text) or error of the tested state's invocation. */
export interface MockInput {
  result?: string;
  errorOutput?: { error?: string; cause?: string };
}

export interface TestStateConfiguration {
  retrierRetryCount?: number;
}

export interface TestStateInput {
  definition: string;
  roleArn?: string;
  input?: string;
  inspectionLevel?: InspectionLevel;
  revealSecrets?: boolean;
  /** JSON text: an object of variables. */
  variables?: string;
  stateName?: string;
  mock?: MockInput;
  context?: string;
  stateConfiguration?: TestStateConfiguration;
}

export interface TestStateOutput {
  output?: string;
  error?: string;
  cause?: string;
  inspectionData?: Record<string, unknown>;
  nextState?: string;
  status: 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';
}
