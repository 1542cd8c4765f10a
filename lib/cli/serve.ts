/**
 * `switchyard serve`: the local server (lib/local/server.ts) with the
 * example state machines registered, until the process is stopped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TaskRunner } from '../engine/ports/task-runner';
import { startLocalServer, type LocalServer } from '../local/server';
import { parseTriggers, type TriggersFile } from '../local/triggers';
import { LambdaHandlersRunner, loadHandlersFile, MockConfigError, mockConfigSummary } from '../local/tasks';
import { serveEnvironment } from './serve-env';
import { parseCallerPolicies, type CallerPolicies } from '../service/api';
import { withIntegrations } from './integrations';
import { UsageError, type CliIo } from './io';
import { unresolvedTaskRunner } from '../local/runtime';

export interface ServeArgs {
  port?: string;
  host?: string;
  handlers?: string;
  /** A folder of `<name>/definition.asl.json` to register. @default ./examples when it exists */
  examples?: string;
  /** Keep state in this folder across restarts. */
  data?: string;
  /** A Step Functions Local mock configuration: start `ARN#TestCase` to use one of its test cases. */
  'mock-config'?: string;
  /** Schedules and event rules (lib/local/triggers.ts). */
  triggers?: string;
  /** Execution logs of state machines with a LoggingConfiguration, one file per log group. */
  logs?: string;
  /** A caller policies file: access key ids and their IAM policies (docs/SECURITY.md). @default every call is allowed */
  policy?: string;
  /** Print no line per API call and per execution start and end. */
  quiet?: boolean;
  /** `SERVICE=URL`: where integration tasks call SERVICE. */
  'endpoint-url'?: string[];
  /** Keep Step Functions' quotas (LocalServerOptions.awsLimits). */
  'aws-limits'?: boolean;
  /** The EventBridge connections HTTP Tasks use (lib/local/connections-file.ts). */
  connections?: string;
}

/** What the banner's AWS CLI lines set, so they work pasted into a shell with no AWS configuration. */
export function awsCliEnv(region = 'us-east-1'): string {
  return `AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=${region}`;
}

/** The banner's line on the mock configuration: each state machine it mocks and its test cases. */
function mockConfigLine(file: string, cwd: string): string {
  let machines: ReturnType<typeof mockConfigSummary>;
  try {
    machines = mockConfigSummary(path.resolve(cwd, file));
  } catch (err) {
    throw err instanceof MockConfigError ? new UsageError(err.message) : err;
  }
  const listed = machines.map((m) => `${m.stateMachine} (${m.testCases.join(', ') || 'no test cases'})`).join('; ');
  return `Mock configuration ${file}: ${listed || 'no state machines'}. Start ARN#TestCase to run a test case.`;
}

/** The caller policies file `file`, read and checked; a UsageError lists what is wrong with it. */
function readPolicies(file: string, cwd: string): CallerPolicies {
  try {
    return parseCallerPolicies(JSON.parse(fs.readFileSync(path.resolve(cwd, file), 'utf8')));
  } catch (err) {
    throw new UsageError(`the policy file ${file}: ${(err as Error).message}`);
  }
}

/** Starts the server and registers the examples; resolves with the running server. */
export async function serveCommand(given: ServeArgs, io: CliIo): Promise<LocalServer> {
  const environment = serveEnvironment(given, io.env ?? {});
  const args = environment.args;
  const port = args.port === undefined ? 8083 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${given.port === undefined ? 'SWITCHYARD_PORT' : '--port'} must be a port number, got '${args.port}'`);
  let taskRunner: TaskRunner | undefined;
  const handlersFile = args.handlers ?? (fs.existsSync(path.join(io.cwd, 'examples', 'handlers.json')) && args.examples === undefined ? 'examples/handlers.json' : undefined);
  if (handlersFile !== undefined) taskRunner = new LambdaHandlersRunner(loadHandlersFile(path.resolve(io.cwd, handlersFile)));
  const integrations = withIntegrations(taskRunner ?? unresolvedTaskRunner, args['endpoint-url'], args.connections, io.cwd);
  taskRunner = integrations;
  let triggers: TriggersFile | undefined;
  if (args.triggers !== undefined) {
    try {
      triggers = parseTriggers(JSON.parse(fs.readFileSync(path.resolve(io.cwd, args.triggers), 'utf8')));
    } catch (err) {
      throw new UsageError(`the triggers file ${args.triggers}: ${(err as Error).message}`);
    }
  }
  const policies = args.policy !== undefined ? readPolicies(args.policy, io.cwd) : undefined;
  const mockLine = args['mock-config'] !== undefined ? mockConfigLine(args['mock-config'], io.cwd) : undefined;
  // A journal record skipped at start-up is named by its place, so the operator can look at it.
  const log = (entry: Record<string, unknown>): void => {
    if (typeof entry.file === 'string' && typeof entry.line === 'number') io.stderr(`switchyard: ${entry.file}:${entry.line}: ${String(entry.message)}: ${String(entry.reason)}\n`);
  };
  const server = await startLocalServer({
    log,
    ...(environment.region !== undefined ? { region: environment.region } : {}),
    ...(environment.account !== undefined ? { account: environment.account } : {}),
    ...(args.quiet ? {} : { requestLog: (line: string) => io.stdout(`${line}\n`) }), ...(policies ? { policies } : {}), ...(args['aws-limits'] === true ? { awsLimits: true } : {}), ...(triggers ? { triggers } : {}), port, host: args.host ?? '127.0.0.1', ...(taskRunner ? { taskRunner } : {}), syncJobs: integrations.jobs, itemReaderRoot: io.cwd, ...(args.data !== undefined ? { dataDir: path.resolve(io.cwd, args.data) } : {}), ...(args.logs !== undefined ? { logsDir: path.resolve(io.cwd, args.logs) } : {}), ...(args['mock-config'] !== undefined ? { mockConfigFile: path.resolve(io.cwd, args['mock-config']) } : {}) }).catch(
    (err: NodeJS.ErrnoException) => {
      throw new UsageError(err.code === 'EADDRINUSE' ? `port ${port} is in use; choose another with --port` : err.message);
    },
  );
  const folder = path.resolve(io.cwd, args.examples ?? 'examples');
  const registered: string[] = [];
  if (fs.existsSync(folder)) {
    for (const name of fs.readdirSync(folder).sort()) {
      const file = path.join(folder, name, 'definition.asl.json');
      if (!fs.existsSync(file)) continue;
      const definition = fs.readFileSync(file, 'utf8');
      const arn = server.driver.stateMachineArn(name);
      // A restart with --data keeps the revision when the file did not change.
      const existing = await server.driver.describeStateMachine(arn).catch(() => undefined);
      if (existing?.definition !== definition) await server.driver.putStateMachine(name, definition);
      registered.push(arn);
    }
  }
  // Every state machine the server holds: the examples, and those a --data folder kept from before.
  const held = (await server.driver.listStateMachines()).map((sm) => sm.stateMachineArn).sort();
  const first = registered[0] ?? held[0] ?? server.driver.stateMachineArn('NAME');
  const AWS_CLI_ENV = awsCliEnv(server.driver.region);
  io.stdout(
    [
      `Switchyard is serving the Step Functions API at ${server.url}`,
      `Console: ${server.url}/ (open it in a browser)`,
      held.length > 0 ? `State machines:\n${held.map((a) => `  ${a}`).join('\n')}` : 'No state machines yet: create one with CreateStateMachine.',
      ...(mockLine !== undefined ? [mockLine] : []),
      ...(environment.used.length > 0 ? [`From the environment: ${environment.used.join(', ')}.`] : []),
      handlersFile !== undefined ? `Lambda tasks run the handlers in ${handlersFile}.` : 'No handlers file: Lambda tasks fail (give one with --handlers).',
      `Service integration tasks (sqs:sendMessage, dynamodb:putItem, aws-sdk:…) call ${args['endpoint-url']?.length ? args['endpoint-url'].join(', ') : 'AWS'} (--endpoint-url SERVICE=URL or AWS_ENDPOINT_URL_<SERVICE> to point them elsewhere).`,
      args.data !== undefined ? `State is kept in ${args.data} across restarts.` : 'State is kept in memory (use --data DIR to keep it across restarts).',
      ...(args.policy !== undefined ? [`Calls are authorized by the policies in ${args.policy} for the access key each request is signed with (signatures are not verified).`] : []),
      ...(args['aws-limits'] === true ? ["Step Functions' quotas apply (--aws-limits): 256 KiB inputs and outputs, 1 MiB definitions."] : []),
      ...(args.logs !== undefined ? [`Execution logs of state machines with a loggingConfiguration go to ${args.logs}/<log group>.log.`] : []),
      '',
      'Try it with the AWS CLI (the variables are a dummy region and credentials: any will do):',
      `  ${AWS_CLI_ENV} aws stepfunctions --endpoint-url ${server.url} start-execution --state-machine-arn ${first} --input '{"name":"Ada"}'`,
      `  ${AWS_CLI_ENV} aws stepfunctions --endpoint-url ${server.url} describe-execution --execution-arn <executionArn from above>`,
      `  ${AWS_CLI_ENV} aws stepfunctions --endpoint-url ${server.url} get-execution-history --execution-arn <executionArn>`,
      `start-sync-execution and test-state: the AWS CLI puts 'sync-' before the endpoint's host unless AWS_DISABLE_HOST_PREFIX_INJECTION=true is set too.`,
      'Or the SDK:',
      `  new SFNClient({ endpoint: '${server.url}', region: '${server.driver.region}', disableHostPrefix: true })`,
      `Health check: GET ${server.url}/health answers 200.`,
      ...(triggers ? [`Schedules: ${triggers.schedules.map((x) => `${x.name} (${x.expression})`).join(', ') || 'none'}; event rules: ${triggers.rules.map((x) => x.name).join(', ') || 'none'} (POST events to ${server.url}/events).`] : []),
      args.quiet ? 'Stop with Ctrl-C.' : 'Each API call and each execution start and end is logged below (--quiet to silence). Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
  return server;
}
