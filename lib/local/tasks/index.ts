/** Task runners for one machine: local Lambda handlers and Step Functions Local mock configurations. */
export { HandlersFileError, MockConfigError } from './errors';
export { loadHandlersFile, loadHandler, type LambdaHandler, type LambdaContext } from './handlers-file';
export { LambdaHandlersRunner, lambdaError, type LambdaRunnerOptions } from './lambda-runner';
export { lambdaTarget, type LambdaTarget } from '../../engine/integrations/lambda';
export { loadMockTestCase, mockConfigSummary, selectTestCase, MockConfigRunner, type MockTestCase } from './mock-config';
