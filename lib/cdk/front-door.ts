/**
 * The construct's front door, one of two API Gateway kinds in front of the
 * API function (props.frontDoor):
 *
 * - `rest-api` (the default): a REST API, stage `v1` — X-Ray tracing,
 *   execution logs, custom authorizers, WAF; $3.50 per million requests.
 * - `http-api`: an HTTP API, stage `$default` — the same routes and AWS_IAM
 *   authorization; $1.00 per million requests, no WAF or custom REST
 *   authorizer (payload format 2.0, which lambda/api.ts reads as well).
 *
 * Both route `POST /` (Step Functions' JSON protocol) and `ANY /{proxy+}`
 * (the REST surface) to the function, log every request to one log group,
 * throttle at the stage, and with `publicCallbackLinks` open only
 * `GET /tasks/{taskToken}/approve|reject`.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledge } from './acknowledge';
import type { ApiThrottling, SwitchyardProps } from './props';

/** The front door built: one of the two APIs, and the URL the SDK's `endpoint` takes. */
export interface FrontDoorApi {
  readonly restApi?: apigateway.RestApi;
  readonly httpApi?: apigwv2.HttpApi;
  /** The endpoint, ending in `/`. */
  readonly url: string;
}

const CALLBACK_VERBS = ['approve', 'reject'] as const;

/** The stage's throttling: props.apiThrottling over its defaults (props.ts). */
function throttlingOf(props: SwitchyardProps): Required<ApiThrottling> {
  return { rateLimit: props.apiThrottling?.rateLimit ?? 100, burstLimit: props.apiThrottling?.burstLimit ?? 200 };
}

/** Builds the front door `props.frontDoor` names in `scope`, in front of `fn`. */
export function frontDoor(scope: Construct, fn: lambda.IFunction, props: SwitchyardProps, retention: logs.RetentionDays): FrontDoorApi {
  const accessLogs = new logs.LogGroup(scope, 'ApiAccessLogs', { retention, removalPolicy: RemovalPolicy.DESTROY, ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}) });
  if (props.frontDoor === 'http-api') {
    const { api, stage } = httpFrontDoor(scope, fn, props, accessLogs);
    return { httpApi: api, url: stage.url };
  }
  const restApi = restFrontDoor(scope, fn, props, accessLogs);
  return { restApi, url: restApi.url };
}

function restFrontDoor(scope: Construct, fn: lambda.IFunction, props: SwitchyardProps, accessLogs: logs.LogGroup): apigateway.RestApi {
  const throttling = throttlingOf(props);
  const api = new apigateway.RestApi(scope, 'Api', {
    description: 'Switchyard: the Step Functions API (JSON protocol at POST /) and the REST surface',
    cloudWatchRole: true,
    cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY,
    deployOptions: {
      stageName: 'v1',
      accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
      accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      loggingLevel: apigateway.MethodLoggingLevel.ERROR,
      tracingEnabled: true,
      throttlingRateLimit: throttling.rateLimit,
      throttlingBurstLimit: throttling.burstLimit,
    },
    defaultMethodOptions: props.authorizer
      ? { authorizer: props.authorizer, authorizationType: props.authorizer.authorizationType ?? apigateway.AuthorizationType.CUSTOM }
      : { authorizationType: apigateway.AuthorizationType.IAM },
  });
  // Bodies are validated by the API function against Step Functions' API model (its own error shapes);
  // API Gateway checks the required parameters.
  const requestValidator = new apigateway.RequestValidator(scope, 'ApiRequestValidator', { restApi: api, validateRequestParameters: true, validateRequestBody: false });
  acknowledge(api, 'AwsSolutions::AwsSolutions-COG4', 'The front door speaks the Step Functions API: callers sign with SigV4 (AWS_IAM), as the official SDK and CLI do; a Cognito authorizer is optional (props.authorizer).');
  acknowledge(api, 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]', "API Gateway's account-level CloudWatch role uses the managed policy AmazonAPIGatewayPushToCloudWatchLogs, as API Gateway documents.");
  acknowledge(api, 'AwsSolutions::AwsSolutions-APIG2', "Bodies are checked by the API function against Step Functions' API model, answering in the service's own error shapes (ValidationException, InvalidArn, ...) that the SDK parses; an API Gateway model would answer in API Gateway's.");
  acknowledge(api, 'AwsSolutions::AwsSolutions-APIG3', 'Every method is authorized (SigV4 by default), so unsigned traffic never reaches the function; associate a WAF web ACL with the stage when the API faces the internet at large.');
  const integration = new apigateway.LambdaIntegration(fn);
  api.root.addMethod('POST', integration, { requestValidator });
  api.root.addResource('{proxy+}').addMethod('ANY', integration, { requestValidator });
  if (props.publicCallbackLinks) {
    const task = api.root.addResource('tasks').addResource('{taskToken}');
    for (const verb of CALLBACK_VERBS) {
      const method = task.addResource(verb).addMethod('GET', integration, { authorizationType: apigateway.AuthorizationType.NONE, requestParameters: { 'method.request.path.taskToken': true }, requestValidator });
      acknowledge(method, 'AwsSolutions::AwsSolutions-APIG4', 'publicCallbackLinks: the task token in the path (random, single use) is the credential of an approval link.');
      acknowledge(method, 'AwsSolutions::AwsSolutions-COG4', 'publicCallbackLinks: the task token in the path is the credential of an approval link.');
    }
  }
  return api;
}

function httpFrontDoor(scope: Construct, fn: lambda.IFunction, props: SwitchyardProps, accessLogs: logs.LogGroup): { api: apigwv2.HttpApi; stage: apigwv2.HttpStage } {
  // The stage is made here rather than by the API, so it takes the throttling and the access log.
  const api = new apigwv2.HttpApi(scope, 'HttpApi', {
    description: 'Switchyard: the Step Functions API (JSON protocol at POST /) and the REST surface',
    createDefaultStage: false,
    defaultAuthorizer: new HttpIamAuthorizer(),
  });
  const stage = new apigwv2.HttpStage(scope, 'HttpApiStage', {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    throttle: throttlingOf(props),
    accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs), format: apigateway.AccessLogFormat.jsonWithStandardFields() },
  });
  const integration = new HttpLambdaIntegration('ApiIntegration', fn, { payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0 });
  api.addRoutes({ path: '/', methods: [apigwv2.HttpMethod.POST], integration });
  api.addRoutes({ path: '/{proxy+}', methods: [apigwv2.HttpMethod.ANY], integration });
  if (props.publicCallbackLinks) {
    for (const verb of CALLBACK_VERBS) {
      // A more specific route than /{proxy+}, so API Gateway takes it for these paths, unauthorized.
      const [route] = api.addRoutes({ path: `/tasks/{taskToken}/${verb}`, methods: [apigwv2.HttpMethod.GET], integration, authorizer: new apigwv2.HttpNoneAuthorizer() });
      acknowledge(route!, 'AwsSolutions::AwsSolutions-APIG4', 'publicCallbackLinks: the task token in the path (random, single use) is the credential of an approval link.');
    }
  }
  return { api, stage };
}
