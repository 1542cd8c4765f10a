/**
 * The AWS adapters of the service's ports (import it apart from the
 * package's main entry, which loads no AWS SDK): the DynamoDB store, the SQS
 * queue, S3 blobs and items, the Lambda task runner, CloudWatch Logs and
 * EventBridge, and how a deployed function builds them from its environment.
 */
export { DynamoStore, type DynamoStoreOptions } from './dynamodb-store';
export { SqsQueue, sqsBilledRequests, type SqsQueueOptions } from './sqs-queue';
export { S3Blobs } from './s3-blobs';
export { s3ItemReader, s3ObjectWriter } from './s3-item-reader';
export { LambdaTaskRunner, lambdaServiceError, type LambdaTaskRunnerOptions } from './lambda-runner';
export { roleCredentials, perRole, RoleAssumptionError, type CredentialsForRole, type RoleCredentialsOptions } from './role-credentials';
export { cloudFromConfig, configFromEnv, type Cloud, type CloudConfig } from './environment';
export { CostMeter, NO_METER, type Meter, type Usage } from './meter';
