/** Service integrations on the AWS SDK: the task runner, its clients, and Step Functions' error names. */
export { SdkTaskRunner, type SdkTaskRunnerOptions } from './sdk-runner';
export { MissingClientPackageError, type ClientOptions } from './clients';
export { pascalServiceName, serviceFailure } from './errors';
