/**
 * AWS list prices in us-east-1 (USD) that the cloud cost meter applies,
 * as published on each service's pricing page (checked 2026-11). Free tiers
 * are ignored: the figures are what a busy account pays at the margin.
 */
export const US_EAST_1 = {
  /** DynamoDB on-demand: per write request unit and per read request unit. */
  dynamodbWriteRequestUnit: 0.625 / 1e6,
  dynamodbReadRequestUnit: 0.125 / 1e6,
  /** SQS standard queue: per request; each 64 KiB chunk of payload is billed as one request. */
  sqsRequest: 0.4 / 1e6,
  /** Lambda on arm64: per request and per GB-second. */
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecondArm: 0.0000133334,
  /** S3 Standard: PUT/POST and GET requests. */
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  /** DynamoDB Standard table class: storage per GB-month, and point-in-time recovery per GB-month of table size. */
  dynamodbStorageGbMonth: 0.25,
  dynamodbPitrGbMonth: 0.2,
  /** CloudWatch Logs: ingestion per GB (the Lambda platform lines and the metrics as embedded-metric-format logs). */
  cloudwatchLogsIngestGb: 0.5,
  /** API Gateway REST API: per request (the first 333 million a month). */
  apiGatewayRestRequest: 3.5 / 1e6,
  /** API Gateway HTTP API: per request of up to 512 KB (the first 300 million a month). */
  apiGatewayHttpRequest: 1 / 1e6,
  /** AWS Step Functions Standard workflows, per state transition, for comparison. */
  stepFunctionsStandardTransition: 25 / 1e6,
  /** AWS Step Functions Express workflows, for comparison: per request (execution) and per GB-second (100 ms and 64 MB increments). */
  stepFunctionsExpressRequest: 1 / 1e6,
  stepFunctionsExpressGbSecond: 0.00001667,
} as const;
