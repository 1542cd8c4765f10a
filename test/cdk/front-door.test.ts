/** lib/cdk/front-door.ts: the HTTP API front door (`frontDoor: 'http-api'`); the REST API's is in switchyard.test.ts. */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Switchyard, type SwitchyardProps } from '../../lib/cdk';
import { DemoStack } from '../../lib/cdk/demo-stack';

const app = () => new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const env = { account: '123456789012', region: 'us-east-1' };

function httpYard(props: SwitchyardProps = {}) {
  const stack = new Stack(app(), 'Http', { env });
  const yard = new Switchyard(stack, 'Yard', { frontDoor: 'http-api', ...props });
  return { stack, yard, t: Template.fromStack(stack) };
}

describe("frontDoor 'http-api'", () => {
  it('serves POST / and ANY /{proxy+} with AWS_IAM authorization and no REST API', () => {
    const { t, yard } = httpYard();
    expect(yard.api).toBeUndefined();
    expect(yard.httpApi).toBeDefined();
    t.resourceCountIs('AWS::ApiGateway::RestApi', 0);
    t.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    const routes = Object.values(t.findResources('AWS::ApiGatewayV2::Route')).map((r) => [r.Properties.RouteKey, r.Properties.AuthorizationType]);
    expect(routes.sort()).toEqual([['ANY /{proxy+}', 'AWS_IAM'], ['POST /', 'AWS_IAM']]);
  });

  it('sends payload format 2.0 events to the API function, the only function API Gateway may invoke', () => {
    const { t, stack, yard } = httpYard();
    t.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0', IntegrationUri: { 'Fn::GetAtt': [stack.getLogicalId(yard.apiFunction.node.defaultChild as never), 'Arn'] } });
    const permissions = Object.values(t.findResources('AWS::Lambda::Permission')).filter((p) => p.Properties.Principal === 'apigateway.amazonaws.com');
    expect(permissions.length).toBe(2);
    for (const p of permissions) expect(p.Properties.FunctionName).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(yard.apiFunction.node.defaultChild as never), 'Arn'] });
  });

  it('throttles the $default stage, deploys it automatically and logs every request', () => {
    const { t } = httpYard({ apiThrottling: { rateLimit: 50, burstLimit: 80 } });
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 80 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
  });

  it('gives the stage URL as the endpoint output', () => {
    const { t, yard } = httpYard();
    t.hasOutput('*', { Value: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['https://', Match.objectLike({ Ref: Match.stringLikeRegexp('^YardHttpApi') })])] }), Description: Match.stringLikeRegexp('endpoint-url') });
    expect(yard.url).toContain('${Token[');
  });

  it('opens only GET /tasks/{taskToken}/approve|reject without authorization with publicCallbackLinks', () => {
    const { t } = httpYard({ publicCallbackLinks: true });
    const routes = Object.values(t.findResources('AWS::ApiGatewayV2::Route')).map((r) => [r.Properties.RouteKey, r.Properties.AuthorizationType]);
    expect(routes.sort()).toEqual([['ANY /{proxy+}', 'AWS_IAM'], ['GET /tasks/{taskToken}/approve', 'NONE'], ['GET /tasks/{taskToken}/reject', 'NONE'], ['POST /', 'AWS_IAM']]);
  });

  it('refuses a REST API authorizer and an unknown front door, naming the fix', () => {
    const stack = new Stack(app(), 'Bad', { env });
    const authorizer = new apigateway.CognitoUserPoolsAuthorizer(stack, 'Auth', { cognitoUserPools: [new cognito.UserPool(stack, 'Users')] });
    expect(() => new Switchyard(stack, 'Yard', { frontDoor: 'http-api', authorizer })).toThrow(
      "authorizer is a REST API authorizer: with frontDoor 'http-api' every route uses AWS_IAM authorization; remove authorizer, or use frontDoor 'rest-api'",
    );
    expect(() => new Switchyard(stack, 'Yard2', { frontDoor: 'graphql' as never })).toThrow("frontDoor must be 'rest-api' or 'http-api', got 'graphql'");
  });

  it('leaves cdk-nag AwsSolutions nothing unacknowledged, public links included', () => {
    const a = app();
    new Switchyard(new Stack(a, 'Nag', { env }), 'Yard', { frontDoor: 'http-api', publicCallbackLinks: true });
    Validations.of(a).addPlugins(new AwsSolutionsChecks(a));
    expect(() => a.synth()).not.toThrow();
  });

  it("is the demo app's front door with `cdk deploy -c frontDoor=http-api`", () => {
    const a = new App({ context: { 'aws:cdk:bundling-stacks': [], frontDoor: 'http-api' } });
    const t = Template.fromStack(new DemoStack(a, 'Demo', { env }));
    t.resourceCountIs('AWS::ApiGateway::RestApi', 0);
    t.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    expect(Object.values(t.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey).sort()).toEqual(['ANY /{proxy+}', 'GET /tasks/{taskToken}/approve', 'GET /tasks/{taskToken}/reject', 'POST /']);
  });
});
