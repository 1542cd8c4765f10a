/**
 * The deployable demo (`bin/app.ts`): a Switchyard with the example state
 * machines — hello-world on an hourly schedule, order-fulfilment, and
 * human-approval whose approval function logs approve/reject links — and the
 * example handlers deployed as Lambda functions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { acknowledge } from './acknowledge';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { projectRoot } from './entries';
import { functionRole } from './roles';
import type { YardStateMachineProps } from './state-machine';
import { Switchyard, type SwitchyardProps } from './switchyard';

const LOCAL_FUNCTION_ARN = /^arn:aws:lambda:[^:]+:\d{12}:function:([A-Za-z0-9_-]+)$/;

/**
 * The examples name their handlers as local functions (`…:function:ChargeCard`,
 * `"FunctionName": "ChargeCard"`); deployed, each name becomes a `${Name}`
 * substitution filled with the deployed function's ARN.
 */
export function withFunctionPlaceholders(value: unknown, names: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => withFunctionPlaceholders(v, names));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      if (typeof v === 'string') {
        const name = k === 'FunctionName' ? v : k === 'Resource' ? LOCAL_FUNCTION_ARN.exec(v)?.[1] : undefined;
        if (name !== undefined && names.has(name)) return [k, `\${${name}}`];
        return [k, v];
      }
      return [k, withFunctionPlaceholders(v, names)];
    }),
  );
}

export interface DemoStackProps extends StackProps {
  /**
   * Passed to the Switchyard construct.
   * @default callback links public, the front door from the context `frontDoor` (`cdk deploy -c frontDoor=http-api`), everything else as the construct's defaults
   */
  readonly yard?: SwitchyardProps;
}

export class DemoStack extends Stack {
  readonly yard: Switchyard;

  constructor(scope: Construct, id: string, props: DemoStackProps = {}) {
    super(scope, id, props);
    const examples = path.join(projectRoot(), 'examples');
    const frontDoor = this.node.tryGetContext('frontDoor') as SwitchyardProps['frontDoor'] | undefined;
    this.yard = new Switchyard(this, 'Yard', { publicCallbackLinks: true, ...(frontDoor !== undefined ? { frontDoor } : {}), ...props.yard });

    // The example handlers, one function each (examples/handlers.json: "Name": "./handlers/file.js#export").
    const handlers = JSON.parse(fs.readFileSync(path.join(examples, 'handlers.json'), 'utf8')) as Record<string, string>;
    const code = lambda.Code.fromAsset(path.join(examples, 'handlers'));
    const functions = new Map<string, lambda.Function>();
    for (const [name, spec] of Object.entries(handlers)) {
      const [file, exported] = spec.split('#') as [string, string];
      const logGroup = new logs.LogGroup(this, `${name}Logs`, { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY });
      functions.set(
        name,
        new lambda.Function(this, `${name}Function`, {
          code,
          handler: `${path.basename(file, '.js')}.${exported}`,
          runtime: lambda.Runtime.NODEJS_22_X,
          architecture: lambda.Architecture.ARM_64,
          logGroup,
          role: functionRole(this, `${name}Role`, logGroup),
          // The approval request logs the links a person would get by e-mail.
          ...(name === 'RequestApproval' ? { environment: { SWITCHYARD_CALLBACK_URL: this.yard.url } } : {}),
        }),
      );
      acknowledge(functions.get(name)!, 'AwsSolutions::AwsSolutions-L1', 'The examples run on Node.js 22, the runtime Switchyard is tested with.');
    }
    const names = new Set(functions.keys());
    const machine = (example: string, extra: Omit<YardStateMachineProps, 'definition'> = {}) => {
      const definition = withFunctionPlaceholders(JSON.parse(fs.readFileSync(path.join(examples, example, 'definition.asl.json'), 'utf8')), names) as Record<string, unknown>;
      const used = Object.fromEntries([...functions].filter(([name]) => JSON.stringify(definition).includes(`\${${name}}`)).map(([name, fn]) => [name, fn.functionArn]));
      return this.yard.addStateMachine(example, { definition, definitionSubstitutions: used, ...extra });
    };
    const input = (example: string) => JSON.parse(fs.readFileSync(path.join(examples, example, 'input.json'), 'utf8')) as Record<string, unknown>;
    machine('hello-world', { schedules: [{ expression: 'rate(1 hour)', input: input('hello-world') }] });
    // Every event of order-fulfilment, with its data, in its own log group (CloudWatch Logs Insights can query it).
    const orderLogs = new logs.LogGroup(this, 'OrderFulfilmentExecutionLogs', {
      retention: logs.RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    machine('order-fulfilment', { logs: { destination: orderLogs, level: 'ALL', includeExecutionData: true } });
    machine('human-approval');
  }
}
