/**
 * `switchyard serve`: Step Functions' JSON protocol on one machine. It runs
 * the cloud driver — the very code the transition and API Lambda functions
 * run — over in-memory ports (lib/aws/memory) with real time, so a workflow
 * served here behaves as it will when deployed: the same transitions, the
 * same history, the same API answers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudDriver } from '../service/driver';
import { MemoryQueue, MemoryStore } from '../service/memory';
import type { ExecutionObserver, Outgoing, TransitionQueue } from '../service/ports';
import { storeJobWaits, type SyncJobEvents } from '../service/sync-jobs';
import { callerByAccessKey, errorResponse, logInternalError, policyAuthorizer, requestTooLarge, routeRequest, sigV4AccessKeyId, type Access, type CallerPolicies, type HttpRequest, type ProtocolResponse } from '../service/api';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';
import type { TaskRunner } from '../engine/ports/task-runner';
import { isResourceRunner, type ResourceRunner } from '../engine/ports/task-routes';
import { fileExecutionLogs } from './execution-logs';
import { localItemReader } from './item-reader';
import { eventsFromBody } from './event-bus';
import { openJournal, type CompactionPolicy } from './journal';
import { loadOrCreateTokenKey } from './token-key';
import { generateTokenKey, type TaskTokenKey } from '../service/task-tokens';
import { startPump } from './pump';
import { matchesPattern, nextFireTime, type ScheduleSpec, type TriggersFile } from './triggers';
import type { JsonValue } from '../asl/json';
import { loadMockTestCase, MockConfigError, MockConfigRunner } from './tasks';
import { unresolvedTaskRunner, DEFAULT_ACCOUNT, DEFAULT_REGION } from './runtime';
import { defaultConsoleDir, isConsolePath, serveConsoleAsset } from './console-assets';
import { allObservers, callLine, callTarget, executionLineLog, restAction, type LineLog } from './request-log';

export interface LocalServerOptions {
  /** @default 8083 (the port Step Functions Local uses); 0 picks a free one */
  port?: number;
  /** @default 127.0.0.1 */
  host?: string;
  /**
   * The `.sync` jobs (ECS tasks, Batch jobs, Glue job runs) the task runner submits: an event POSTed to
   * /events that is a job's end completes the task waiting for it, and a stopped task's job is stopped.
   * @default none: such events complete nothing
   */
  syncJobs?: SyncJobEvents;
  /** Runs Task states. @default every task fails as an unknown resource */
  taskRunner?: TaskRunner;
  /** Where DISTRIBUTED Map ItemReaders find `<Bucket>/<Key>`. @default the current directory */
  itemReaderRoot?: string;
  /** Messages handled at once. @default 8 */
  concurrency?: number;
  /**
   * A Step Functions Local mock configuration file: StartExecution with
   * `…:stateMachine:NAME#TestCase` runs that test case's mocked responses,
   * as Step Functions Local does.
   */
  mockConfigFile?: string;
  /** The region and account of the ARNs the server makes when a request does not say (a request's own signing region wins). @default us-east-1, 123456789012 */
  region?: string;
  account?: string;
  /** Schedules and event rules that start executions (see lib/local/triggers.ts). */
  triggers?: TriggersFile;
  /** A folder where definitions, executions and history are kept across restarts. @default in memory only */
  dataDir?: string;
  /** When the journal in dataDir is compacted at start-up (lib/local/journal-compaction.ts). @default 'auto': once it has doubled since its last compaction */
  journalCompaction?: CompactionPolicy;
  /** A folder where state machines with a LoggingConfiguration write their execution logs (lib/local/execution-logs.ts). @default none */
  logsDir?: string;
  /** Logs one JSON object per warning. @default silent */
  log?: (entry: Record<string, unknown>) => void;
  /**
   * The key task tokens are signed with (at least 32 bytes).
   * @default kept in `dataDir` (lib/local/token-key.ts) when there is one, else 32 random bytes per start
   */
  tokenKey?: TaskTokenKey;
  /**
   * Callers by access key id and their IAM policies (`switchyard serve
   * --policy`): every action is authorized as Step Functions' IAM would
   * authorize it for that caller, and a request whose SigV4 Credential names
   * no caller of the file is denied. The signature is NOT verified.
   * @default every call is allowed
   */
  policies?: CallerPolicies;
  /** Receives one line per API call and per execution start and end (lib/local/request-log.ts). @default none */
  requestLog?: LineLog;
  /** The built web console served at `GET /` (lib/local/console-assets.ts). @default this package's dist/console */
  consoleDir?: string;
  /** Step Functions' quotas instead of Switchyard's larger ones (CloudDriverOptions.awsLimits). @default false */
  awsLimits?: boolean;
  /** The cap on one execution's history events (CloudDriverOptions.maxHistoryEvents). @default 1,000,000 */
  maxHistoryEvents?: number;
}

export interface LocalServer {
  /** `http://HOST:PORT` — the endpoint to give the SDK or `aws --endpoint-url`. */
  readonly url: string;
  readonly driver: CloudDriver;
  /** Objects exported by ResultWriter, by `s3://<Bucket>/<Key>`. */
  readonly resultObjects: Map<string, string>;
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

/** Logs an answered API call; the console's files and /health are not API calls. */
function logCall(log: LineLog, request: HttpRequest, status: number, ms: number): void {
  const pathname = request.path.split('?')[0];
  if (isConsolePath(request.method, pathname) || pathname === '/health') return;
  const header = request.headers['x-amz-target'];
  const amzTarget = Array.isArray(header) ? header[0] : header;
  const protocol = request.method === 'POST' && pathname === '/' && amzTarget !== undefined;
  const action = protocol ? amzTarget.replace(/^AWSStepFunctions\./, '') : restAction(request.method, request.path);
  const called = protocol ? callTarget(request.body) : undefined;
  log(callLine({ action, ...(called !== undefined ? { target: called } : {}), status, ms }));
}

/** The driver's execution observer: the execution logs of --logs and the start and end lines of the request log. */
function observerOf(options: LocalServerOptions): { observer?: ExecutionObserver } {
  const observer = allObservers([...(options.logsDir !== undefined ? [fileExecutionLogs(options.logsDir)] : []), ...(options.requestLog ? [executionLineLog(options.requestLog)] : [])]);
  return observer ? { observer } : {};
}

export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const now = (): number => Date.now();
  // A failed message comes back after two seconds, not SQS's default thirty.
  const log = options.log ?? (() => {});
  const journal = options.dataDir ? await openJournal(options.dataDir, now, 2_000, log, options.journalCompaction) : undefined;
  const store = journal?.store ?? new MemoryStore();
  const memoryQueue = journal?.queue ?? new MemoryQueue(now, 2_000);
  let wake = (): void => {};
  const queue: TransitionQueue = {
    async send(messages: Outgoing[]) {
      await memoryQueue.send(messages);
      wake();
    },
    deadLetter: (body, reason) => memoryQueue.deadLetter(body, reason),
  };
  const resultObjects = new Map<string, string>();
  const base = options.taskRunner ?? unresolvedTaskRunner;
  // Executions started as `NAME#TestCase` run that test case's mocks (handlers for what is not mocked).
  const mocked = new Map<string, TaskRunner>();
  const tasks: ResourceRunner = {
    // A mocked state is the mock's to run, nested executions included.
    handles: (invocation) => {
      const mock = mocked.get(invocation.executionArn);
      return mock !== undefined && isResourceRunner(mock) && mock.handles(invocation);
    },
    run: (invocation, signal) => (mocked.get(invocation.executionArn) ?? base).run(invocation, signal),
  };
  const driver = new CloudDriver({
    store,
    queue,
    tasks,
    ...(options.syncJobs ? { jobs: options.syncJobs } : {}),
    itemReader: localItemReader(options.itemReaderRoot ?? process.cwd()),
    objectWriter: { put: async (bucket, key, body) => void resultObjects.set(`s3://${bucket}/${key}`, body) },
    region: options.region ?? DEFAULT_REGION,
    account: options.account ?? DEFAULT_ACCOUNT,
    ...observerOf(options),
    ...(options.awsLimits === true ? { awsLimits: true } : {}),
    ...(options.maxHistoryEvents !== undefined ? { maxHistoryEvents: options.maxHistoryEvents } : {}),
    ...(journal ? { watch: journal.marks } : {}),
    // Claims kept in the journal from an earlier run were made by a process that is gone: their attempts are lost now.
    ...(journal ? { lostTasksClaimedBefore: now() } : {}),
    // Tokens kept in a journal must still be good after a restart: the key is kept beside it.
    tokenKey: options.tokenKey ?? (options.dataDir ? loadOrCreateTokenKey(options.dataDir) : generateTokenKey()),
  });

  // A `.sync` task's wait for its job is kept in the store (the journal, with --data): a restart must still hear the job's end.
  options.syncJobs?.attach({ waits: storeJobWaits(store), tokens: driver });

  const pump = startPump(driver, memoryQueue, queue, { concurrency: options.concurrency ?? 8, log, now });
  wake = pump.wake;
  let closed = false;

  wake(); // messages replayed from a journal resume at once

  // Schedules fire on time; rules start executions from events POSTed to /events.
  const scheduleTimers = new Set<NodeJS.Timeout>();
  const arm = (spec: ScheduleSpec, after: number): void => {
    const at = nextFireTime(spec.expression, after);
    if (at === undefined || closed) return;
    const t = setTimeout(() => {
      scheduleTimers.delete(t);
      void driver.startExecution(driver.stateMachineArn(spec.stateMachine), { input: spec.input ?? {} }).catch((err: Error) => log({ level: 'WARN', message: 'scheduled start failed', schedule: spec.name, error: err.message }));
      arm(spec, at);
    }, Math.min(Math.max(0, at - now()), 2 ** 31 - 1));
    t.unref();
    scheduleTimers.add(t);
  };
  for (const spec of options.triggers?.schedules ?? []) arm(spec, now());
  const json = { 'Content-Type': 'application/json' };
  const putEvents = async (text: string): Promise<ProtocolResponse> => {
    try {
      const events = eventsFromBody(text, { account: options.account ?? DEFAULT_ACCOUNT, region: options.region ?? DEFAULT_REGION, now: now() });
      const started: { rule: string; executionArn: string }[] = [];
      const jobs: string[] = [];
      for (const event of events) {
        // A job's end (an ECS task stopped, …) completes the `.sync` task waiting for it, as the deployed rule's does.
        const job = await options.syncJobs?.completeFromEvent(event, driver);
        if (job !== undefined && job !== 'not-a-job-end') jobs.push(job);
        for (const rule of options.triggers?.rules ?? []) {
          if (!matchesPattern(rule.eventPattern, event)) continue;
          const { executionArn } = await driver.startExecution(driver.stateMachineArn(rule.stateMachine), { input: event as JsonValue, name: event.id });
          started.push({ rule: rule.name, executionArn });
        }
      }
      return { statusCode: 200, headers: json, body: JSON.stringify(jobs.length > 0 ? { started, jobs } : { started }) };
    } catch (err) {
      if (err instanceof ServiceError) return errorResponse(err.statusCode, err.name, err.message);
      logInternalError(err);
      return errorResponse(500, ServiceErrorName.InternalServerError, 'An internal error occurred');
    }
  };

  /** A StartExecution naming `ARN#TestCase`: the request for the plain ARN and the test case's runner. */
  const mockTestCase = (text: string): { body: string; runner: TaskRunner } | { error: string } | undefined => {
    let request: { stateMachineArn?: unknown };
    try {
      request = JSON.parse(text) as { stateMachineArn?: unknown };
    } catch {
      return undefined; // the protocol answers malformed JSON
    }
    if (typeof request.stateMachineArn !== 'string' || !request.stateMachineArn.includes('#')) return undefined;
    const [arn, caseName] = request.stateMachineArn.split('#', 2);
    if (!options.mockConfigFile) return { error: `'${request.stateMachineArn}' names a test case, but no mock configuration was given (--mock-config)` };
    try {
      const testCase = loadMockTestCase(options.mockConfigFile, caseName, arn.split(':').pop());
      return { body: JSON.stringify({ ...request, stateMachineArn: arn }), runner: new MockConfigRunner(testCase, base) };
    } catch (err) {
      return { error: err instanceof MockConfigError ? err.message : String(err) };
    }
  };

  const authorizer = options.policies ? policyAuthorizer(options.policies) : undefined;
  /** Who sent `req`, by the access key id of its SigV4 Credential, and who decides for it; undefined when every call is allowed. */
  const accessOf = (req: { headers: { authorization?: string } }): Access | undefined => {
    if (!authorizer || !options.policies) return undefined;
    const key = sigV4AccessKeyId(req.headers.authorization);
    return { caller: key === undefined ? undefined : callerByAccessKey(options.policies, key, DEFAULT_ACCOUNT), authorizer };
  };

  const consoleDir = options.consoleDir ?? defaultConsoleDir();
  const server: Server = createServer((req, res) => {
    const began = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_REQUEST_BYTES) {
        const refused = requestTooLarge(MAX_REQUEST_BYTES);
        res.writeHead(refused.statusCode, refused.headers);
        res.end(refused.body);
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const request: HttpRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: text };
      const access = accessOf(req);
      const answer = async (): Promise<ProtocolResponse> => {
        if (request.method === 'POST' && request.path === '/events') return putEvents(text);
        const pathname = request.path.split('?')[0];
        // For readiness probes and scripts waiting for the server: no AWS action, no authorization.
        if (request.method === 'GET' && pathname === '/health') return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"status":"ok"}' };
        if (isConsolePath(request.method, pathname)) return serveConsoleAsset(consoleDir, pathname);
        const target = req.headers['x-amz-target'];
        const action = Array.isArray(target) ? target[0] : target;
        const starts = request.method === 'POST' && request.path === '/' && /^AWSStepFunctions\.Start(Sync)?Execution$/.test(action ?? '');
        const testCase = starts ? mockTestCase(text) : undefined;
        if (!testCase) return routeRequest(driver, request, access);
        if ('error' in testCase) return errorResponse(400, ServiceErrorName.ValidationException, testCase.error);
        const response = await routeRequest(driver, { ...request, body: testCase.body }, access);
        if (response.statusCode === 200) mocked.set((JSON.parse(response.body) as { executionArn: string }).executionArn, testCase.runner);
        return response;
      };
      // Whatever one call does wrong is that call's 500, never the server's end.
      const answered = answer().catch((err: unknown): ProtocolResponse => {
        logInternalError(err);
        return errorResponse(500, ServiceErrorName.InternalServerError, 'An internal error occurred');
      });
      void answered.then((r) => {
        res.writeHead(r.statusCode, r.headers);
        res.end(r.body);
        if (options.requestLog) logCall(options.requestLog, request, r.statusCode, performance.now() - began);
      });
    });
  });
  // Idle keep-alive connections outlive the clients' own idle timeouts (the SDKs' and fetch's are
  // shorter), so a client never sends a request on a connection the server is closing at that moment.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8083, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    driver,
    resultObjects,
    async close() {
      closed = true;
      pump.stop();
      for (const t of scheduleTimers) clearTimeout(t);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      journal?.close();
    },
  };
}
