/**
 * The commands' flags (lib/cli/args.ts turns them into `--help` and the
 * argument checks). docs/CLI.md describes each flag at length.
 */
import type { CommandSpec, FlagSpec } from './args';

/** Where integration tasks call their services (run and serve alike). */
const ENDPOINT_URL_FLAG: FlagSpec = { type: 'string', value: 'SERVICE=URL', multiple: true, description: 'call SERVICE (dynamodb, sqs, s3, …) at URL in integration tasks; AWS_ENDPOINT_URL_<SERVICE> works too' };

/** The EventBridge connections HTTP tasks use (run and serve alike). */
const CONNECTIONS_FLAG: FlagSpec = { type: 'string', value: 'FILE', description: 'the EventBridge connections of HTTP tasks: ConnectionArn to authorizationType and authParameters' };

/** `switchyard run`. */
export const RUN: CommandSpec = {
  name: 'run',
  synopsis: 'DEFINITION [options]',
  summary: 'Runs a state machine definition in this process and prints how it ended. Exit 0 when it succeeds, 1 when not, 2 on bad usage.',
  positionals: true,
  flags: {
    input: { type: 'string', value: 'JSON', description: 'the execution input (default {})' },
    'input-file': { type: 'string', value: 'FILE', description: 'read the execution input from FILE' },
    handlers: { type: 'string', value: 'FILE', description: 'a handlers file: Lambda function names to handler modules' },
    'mock-config': { type: 'string', value: 'FILE', description: 'a Step Functions Local mock configuration (with --test-case)' },
    'test-case': { type: 'string', value: 'NAME', description: "the mock configuration's test case to run" },
    'state-machine-name': { type: 'string', value: 'NAME', description: 'the state machine name (picks the mock configuration entry)' },
    'time-scale': { type: 'string', value: 'N', description: 'multiply waits and timeouts by N (0: do not wait)' },
    'endpoint-url': ENDPOINT_URL_FLAG,
    'aws-limits': { type: 'boolean', description: "keep Step Functions' quotas: 256 KiB inputs and outputs, 25,000 history events" },
    'state-machine': {
      type: 'string',
      value: 'FILE',
      multiple: true,
      description: 'a state machine states:startExecution tasks can start, as arn:aws:states:us-east-1:123456789012:stateMachine:<its file name>',
    },
    connections: CONNECTIONS_FLAG,
    json: { type: 'boolean', description: 'print one JSON object: status, output, error, cause, transitions' },
    history: { type: 'boolean', description: 'print the execution history too' },
  },
  instead: {
    // A run keeps nothing once its execution ends, so there is nothing to continue from (docs/CLI.md, "Redrive").
    redrive:
      'a run keeps nothing once its execution ends, so it cannot be redriven. Run it under switchyard serve (with --data to keep it across restarts) and redrive it there: aws stepfunctions redrive-execution --execution-arn ARN',
  },
};

/** `switchyard validate`. */
export const VALIDATE: CommandSpec = {
  name: 'validate',
  synopsis: 'DEFINITION [--json]',
  summary: 'Checks a state machine definition as ValidateStateMachineDefinition does. Exit 0 when valid, 2 when not.',
  positionals: true,
  flags: {
    json: { type: 'boolean', description: "print ValidateStateMachineDefinition's response as JSON" },
  },
};

/** `switchyard graph`. */
export const GRAPH: CommandSpec = {
  name: 'graph',
  synopsis: 'DEFINITION [--format mermaid|dot]',
  summary: "Prints a state machine's states and transitions as a Mermaid or Graphviz graph.",
  positionals: true,
  flags: {
    format: { type: 'string', value: 'mermaid|dot', description: 'the graph language (default mermaid)' },
  },
};

/** `switchyard serve`. */
export const SERVE: CommandSpec = {
  name: 'serve',
  synopsis: '[options]',
  summary: "Serves the Step Functions API, a REST surface and the console on this machine, with the examples' state machines registered.",
  positionals: false,
  flags: {
    port: { type: 'string', value: 'N', description: 'the port (default 8083; 0 picks a free one)' },
    host: { type: 'string', value: 'H', description: 'the address to listen on (default 127.0.0.1)' },
    handlers: { type: 'string', value: 'FILE', description: 'a handlers file for Lambda tasks (default examples/handlers.json)' },
    examples: { type: 'string', value: 'DIR', description: 'register every DIR/<name>/definition.asl.json as <name> (default ./examples)' },
    data: { type: 'string', value: 'DIR', description: 'keep state in DIR across restarts (default in memory)' },
    'mock-config': { type: 'string', value: 'FILE', description: 'a Step Functions Local mock configuration: start ARN#TestCase' },
    triggers: { type: 'string', value: 'FILE', description: 'schedules and event rules' },
    logs: { type: 'string', value: 'DIR', description: 'write execution logs to DIR/<log group>.log' },
    policy: { type: 'string', value: 'FILE', description: 'caller policies: access key ids and their IAM policies' },
    'endpoint-url': ENDPOINT_URL_FLAG,
    'aws-limits': { type: 'boolean', description: "keep Step Functions' quotas: 256 KiB inputs and outputs, 1 MiB definitions" },
    connections: CONNECTIONS_FLAG,
    quiet: { type: 'boolean', description: 'no line per API call and per execution start and end' },
  },
};

/** `switchyard console`. */
export const CONSOLE: CommandSpec = {
  name: 'console',
  synopsis: '--endpoint URL [options]',
  summary: "Serves the web console on 127.0.0.1 for a deployed Yard, forwarding its API calls to the front door signed with your own AWS credentials.",
  positionals: false,
  flags: {
    endpoint: { type: 'string', value: 'URL', description: "the deployed front door (the stack's ApiUrl output)" },
    profile: { type: 'string', value: 'P', description: 'the AWS profile to sign with (default: the standard credential chain)' },
    region: { type: 'string', value: 'R', description: "the front door's region (default AWS_REGION, else from the URL)" },
    port: { type: 'string', value: 'N', description: 'the local port (default 8084; 0 picks a free one)' },
    'signing-name': { type: 'string', value: 'NAME', description: 'the SigV4 service name (default execute-api, as API Gateway checks)' },
  },
};
