/**
 * The settings Step Functions Local users know, read from the environment
 * by `switchyard serve` (developer guide, "Setting configuration options for
 * Step Functions Local": AWS_ACCOUNT_ID, AWS_DEFAULT_REGION, the
 * `<SERVICE>_ENDPOINT` overrides, and SFN_MOCK_CONFIG for the mock
 * configuration file), plus SWITCHYARD_PORT. A flag given on the command
 * line wins over its variable.
 */
import type { ServeArgs } from './serve';

/** Step Functions Local's endpoint variables, by the service name `--endpoint-url SERVICE=URL` takes. */
const ENDPOINT_VARIABLES: Readonly<Record<string, string>> = {
  LAMBDA_ENDPOINT: 'lambda',
  BATCH_ENDPOINT: 'batch',
  DYNAMODB_ENDPOINT: 'dynamodb',
  ECS_ENDPOINT: 'ecs',
  GLUE_ENDPOINT: 'glue',
  SAGE_MAKER_ENDPOINT: 'sagemaker',
  SQS_ENDPOINT: 'sqs',
  SNS_ENDPOINT: 'sns',
  STEP_FUNCTIONS_ENDPOINT: 'sfn',
};

/** What the environment sets of `serve`'s settings, for the server and its banner. */
export interface ServeEnvironment {
  /** ServeArgs with the environment's values where no flag was given. */
  args: ServeArgs;
  /** The account and region of the ARNs the server makes (AWS_ACCOUNT_ID, AWS_DEFAULT_REGION or AWS_REGION). */
  account?: string;
  region?: string;
  /** The variables that were used, for the banner. */
  used: string[];
}

/** `args` completed from `env`: the flags first, then Step Functions Local's variables. */
export function serveEnvironment(args: ServeArgs, env: Readonly<Record<string, string | undefined>>): ServeEnvironment {
  const used: string[] = [];
  const take = (name: string): string | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    used.push(name);
    return value;
  };
  const out: ServeArgs = { ...args };
  if (out.port === undefined) out.port = take('SWITCHYARD_PORT');
  if (out['mock-config'] === undefined) out['mock-config'] = take('SFN_MOCK_CONFIG');
  const given = new Set((args['endpoint-url'] ?? []).map((e) => e.slice(0, e.indexOf('='))));
  const endpoints = [...(args['endpoint-url'] ?? [])];
  for (const [variable, service] of Object.entries(ENDPOINT_VARIABLES)) {
    if (given.has(service)) continue;
    const url = take(variable);
    if (url !== undefined) endpoints.push(`${service}=${url}`);
  }
  if (endpoints.length > 0) out['endpoint-url'] = endpoints;
  const account = take('AWS_ACCOUNT_ID');
  const region = take('AWS_DEFAULT_REGION') ?? take('AWS_REGION');
  return { args: out, ...(account !== undefined ? { account } : {}), ...(region !== undefined ? { region } : {}), used };
}
