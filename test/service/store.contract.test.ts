/**
 * The ExecutionStore contract (lib/service/ports.ts), one suite run against
 * every implementation: MemoryStore, and DynamoStore on dynalite started on
 * 127.0.0.1 by this test (a fresh table per test).
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoStore, executionKey } from '../../lib/aws/dynamodb-store';
import { FramePhase, FrameStatus, type Frame } from '../../lib/engine/frame';
import type { ChildCompletedMessage, Message } from '../../lib/engine/messages';
import { MemoryStore } from '../../lib/service/memory';
import type { ActivityTask, ChildCompletion, ExecutionQuery, ExecutionRecord, ExecutionStore, FrameVersion, StateMachineRecord } from '../../lib/service/ports';
import { localTables } from '../aws/dynamodb/local-tables';

jest.setTimeout(60_000);

const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';
const OTHER_SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:refunds';
const X = `arn:aws:states:us-east-1:123456789012:execution:orders:x1`;
const ACTIVITY = 'arn:aws:states:us-east-1:123456789012:activity:review';
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);

function machine(arn: string, revisionId: string, definition: string): StateMachineRecord {
  const name = arn.slice(arn.lastIndexOf(':') + 1);
  return { stateMachineArn: arn, name, roleArn: 'arn:aws:iam::123456789012:role/r', type: 'STANDARD', creationDate: T0, revisionId, definition };
}

function execution(name: string, startTime: number, stateMachineArn = SM): ExecutionRecord {
  const machineName = stateMachineArn.slice(stateMachineArn.lastIndexOf(':') + 1);
  return {
    info: {
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:${machineName}:${name}`,
      name,
      stateMachineArn,
      stateMachineName: machineName,
      roleArn: 'arn:aws:iam::123456789012:role/r',
      input: { order: name },
      startTime,
      redriveCount: 0,
    },
    revisionId: 'rev-1',
    status: 'RUNNING',
  };
}

function frame(id: string, version: number, extra: Partial<Frame> = {}): Frame {
  return {
    id,
    scope: '',
    version,
    status: FrameStatus.RUNNING,
    phase: FramePhase.ENTERING,
    state: 'Start',
    entry: version,
    input: { v: version },
    enteredAt: T0 + version,
    vars: {},
    retries: [],
    ...extra,
  };
}

function version(id: string, v: number, extra: Partial<FrameVersion> = {}): FrameVersion {
  return { frame: frame(id, v), lc: v, at: T0 + v, events: [{ type: 'PassStateEntered', timestamp: T0 + v }], ...extra };
}

const ids = (versions: FrameVersion[]): string[] => versions.map((v) => `${v.frame.id}@${v.frame.version}`);

function task(token: string, scheduledAt: number): ActivityTask {
  return { taskToken: token, input: `{"t":"${token}"}`, executionArn: X, scheduledAt };
}

const local = localTables('contract');

/** The table of the store made last. */
let lastTable = '';

async function dynamoStore(options: { retentionSeconds?: number } = {}): Promise<DynamoStore> {
  const tableName = await local.table();
  lastTable = tableName;
  return new DynamoStore({ client: local.client(), tableName, ...options });
}

/** Every page of a listing, by name. */
async function listAll(store: ExecutionStore, arn: string, limit: number, filter: Omit<ExecutionQuery, 'limit' | 'after'> = {}): Promise<string[]> {
  const names: string[] = [];
  let after: string | undefined;
  do {
    const page = await store.listExecutions(arn, { limit, ...filter, ...(after !== undefined ? { after } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    names.push(...page.items.map((r) => r.info.name));
    after = page.next;
  } while (after !== undefined);
  return names;
}

const implementations: [string, () => Promise<ExecutionStore>][] = [
  ['MemoryStore', async () => new MemoryStore()],
  ['DynamoStore', () => dynamoStore()],
];

describe.each(implementations)('%s keeps the ExecutionStore contract', (_name, make) => {
  let store: ExecutionStore;
  beforeEach(async () => {
    store = await make();
  });

  describe('state machines', () => {
    it('returns what was put, lists by ARN, and keeps every revision after a delete', async () => {
      await store.putStateMachine(machine(OTHER_SM, 'rev-a', '{"A":1}'));
      await store.putStateMachine(machine(SM, 'rev-1', '{"StartAt":"A"}'));
      await store.putStateMachine({ ...machine(SM, 'rev-2', '{"StartAt":"B"}'), updateDate: T0 + 5, tags: { team: 'pay' } });

      expect(await store.getStateMachine(SM)).toEqual({ ...machine(SM, 'rev-2', '{"StartAt":"B"}'), updateDate: T0 + 5, tags: { team: 'pay' } });
      expect((await store.listStateMachines()).map((m) => [m.stateMachineArn, m.revisionId])).toEqual([
        [SM, 'rev-2'],
        [OTHER_SM, 'rev-a'],
      ]);
      expect(await store.getDefinition(SM, 'rev-1')).toBe('{"StartAt":"A"}');
      expect(await store.getDefinition(SM, 'rev-2')).toBe('{"StartAt":"B"}');
      expect(await store.getDefinition(SM, 'rev-9')).toBeUndefined();

      await store.deleteStateMachine(SM);
      expect(await store.getStateMachine(SM)).toBeUndefined();
      expect((await store.listStateMachines()).map((m) => m.stateMachineArn)).toEqual([OTHER_SM]);
      expect(await store.getDefinition(SM, 'rev-1')).toBe('{"StartAt":"A"}');
    });

    it('returns copies: changing what it returned changes nothing stored', async () => {
      await store.putStateMachine(machine(SM, 'rev-1', '{}'));
      const read = (await store.getStateMachine(SM))!;
      read.name = 'changed';
      expect((await store.getStateMachine(SM))!.name).toBe('orders');
    });
  });

  describe('executions', () => {
    it('creates an execution once: a second create with the same ARN is refused and changes nothing', async () => {
      const record = execution('x1', T0);
      expect(await store.createExecution(record)).toBe(true);
      expect(await store.createExecution({ ...record, revisionId: 'rev-2' })).toBe(false);
      expect(await store.getExecution(record.info.executionArn)).toEqual(record);
      expect(await store.getExecution(`${record.info.executionArn}-missing`)).toBeUndefined();
    });

    it('records the first terminal status only', async () => {
      const record = execution('x1', T0);
      await store.createExecution(record);
      const arn = record.info.executionArn;
      expect(await store.finishExecution(arn, { status: 'SUCCEEDED', stopDate: T0 + 10, output: { ok: true } })).toBe(true);
      expect(await store.finishExecution(arn, { status: 'FAILED', stopDate: T0 + 11, error: 'E', cause: 'late' })).toBe(false);
      expect(await store.finishExecution(arn, { status: 'ABORTED', stopDate: T0 + 12 }, record)).toBe(false);
      expect(await store.getExecution(arn)).toEqual({ ...record, status: 'SUCCEEDED', stopDate: T0 + 10, output: { ok: true } });
    });

    it('writes the caller’s known record when it is still that run, and refuses an unknown execution', async () => {
      const record = execution('x1', T0);
      await store.createExecution(record);
      const arn = record.info.executionArn;
      const known = { ...record, logging: { level: 'ALL' as const, includeExecutionData: true } };
      expect(await store.finishExecution(arn, { status: 'FAILED', stopDate: T0 + 3, error: 'States.TaskFailed', cause: 'boom' }, known)).toBe(true);
      expect(await store.getExecution(arn)).toEqual({ ...known, status: 'FAILED', stopDate: T0 + 3, error: 'States.TaskFailed', cause: 'boom' });
      expect(await store.finishExecution(`${arn}-missing`, { status: 'SUCCEEDED', stopDate: T0 })).toBe(false);
      expect(await store.finishExecution(`${arn}-missing`, { status: 'SUCCEEDED', stopDate: T0 }, { ...record, info: { ...record.info, executionArn: `${arn}-missing` } })).toBe(false);
    });

    it('finishes from the stored record when the known one is of an earlier run (redriven since)', async () => {
      const record = execution('x1', T0);
      await store.createExecution(record);
      const arn = record.info.executionArn;
      await store.finishExecution(arn, { status: 'FAILED', stopDate: T0 + 1, error: 'E' });
      const redriven: ExecutionRecord = { ...record, info: { ...record.info, redriveCount: 1 }, redriveDate: T0 + 2 };
      expect(await store.reopenExecution(arn, 'FAILED', redriven)).toBe(true);
      expect(await store.finishExecution(arn, { status: 'SUCCEEDED', stopDate: T0 + 3, output: 1 }, record)).toBe(true);
      expect(await store.getExecution(arn)).toEqual({ ...redriven, status: 'SUCCEEDED', stopDate: T0 + 3, output: 1 });
    });

    it('reopens an execution only while its status is the one expected', async () => {
      const record = execution('x1', T0);
      await store.createExecution(record);
      const arn = record.info.executionArn;
      await store.finishExecution(arn, { status: 'FAILED', stopDate: T0 + 1, error: 'E' });
      const redriven: ExecutionRecord = { ...record, info: { ...record.info, redriveCount: 1 }, redriveDate: T0 + 2 };
      expect(await store.reopenExecution(arn, 'TIMED_OUT', redriven)).toBe(false);
      expect((await store.getExecution(arn))!.status).toBe('FAILED');
      expect(await store.reopenExecution(arn, 'FAILED', redriven)).toBe(true);
      expect(await store.reopenExecution(arn, 'FAILED', redriven)).toBe(false);
      expect(await store.getExecution(arn)).toEqual(redriven);
      const missing = execution('x9', T0);
      expect(await store.reopenExecution(missing.info.executionArn, 'FAILED', missing)).toBe(false);
      expect(await store.getExecution(missing.info.executionArn)).toBeUndefined();
    });

    it('lists a state machine’s executions newest first, same-millisecond ones by name descending', async () => {
      await store.createExecution(execution('b', T0 + 1));
      await store.createExecution(execution('old', T0));
      await store.createExecution(execution('new', T0 + 2));
      await store.createExecution(execution('a', T0 + 1));
      await store.createExecution(execution('c', T0 + 1));
      await store.createExecution(execution('other', T0 + 3, OTHER_SM));
      expect(await listAll(store, SM, 1000)).toEqual(['new', 'c', 'b', 'a', 'old']);
      expect(await listAll(store, OTHER_SM, 1000)).toEqual(['other']);
      expect(await store.listExecutions(`${SM}-none`, { limit: 100 })).toEqual({ items: [] });
    });

    it.each([1, 2, 1000])('pages the listing %d at a time, in the same order, each page within its size', async (limit) => {
      for (const [name, start] of [['b', 1], ['old', 0], ['new', 2], ['a', 1], ['c', 1]] as const) await store.createExecution(execution(name, T0 + start));
      const pages: string[][] = [];
      let after: string | undefined;
      do {
        const page = await store.listExecutions(SM, { limit, ...(after !== undefined ? { after } : {}) });
        pages.push(page.items.map((r) => r.info.name));
        after = page.next;
      } while (after !== undefined);
      expect(pages.flat()).toEqual(['new', 'c', 'b', 'a', 'old']);
      expect(pages.every((p) => p.length <= limit)).toBe(true);
      expect(pages[0]).toEqual(['new', 'c', 'b', 'a', 'old'].slice(0, limit));
      expect(pages).toHaveLength(Math.ceil(5 / limit));
    });

    it('filters the listing by status, by redrive and by the version or alias started through, page by page', async () => {
      const alias = `${SM}:live`;
      const version1 = `${SM}:1`;
      await store.createExecution({ ...execution('v1', T0 + 1), versionArn: version1 });
      await store.createExecution({ ...execution('live', T0 + 2), versionArn: version1, aliasArn: alias });
      await store.createExecution({ ...execution('done', T0 + 3), status: 'SUCCEEDED', stopDate: T0 + 4 });
      const redriven = execution('again', T0 + 4);
      await store.createExecution({ ...redriven, info: { ...redriven.info, redriveCount: 1 } });
      expect(await listAll(store, SM, 1, { status: 'SUCCEEDED' })).toEqual(['done']);
      expect(await listAll(store, SM, 1, { status: 'RUNNING' })).toEqual(['again', 'live', 'v1']);
      expect(await listAll(store, SM, 2, { redriven: true })).toEqual(['again']);
      expect(await listAll(store, SM, 2, { redriven: false })).toEqual(['done', 'live', 'v1']);
      expect(await listAll(store, SM, 1, { startedThrough: version1 })).toEqual(['live', 'v1']);
      expect(await listAll(store, SM, 1, { startedThrough: alias })).toEqual(['live']);
    });
  });

  describe('frames', () => {
    it('lets exactly one writer win a frame version, even when they race', async () => {
      const a = version('root', 2, { lc: 7 });
      const b = version('root', 2, { lc: 8 });
      await store.putFrameVersion(X, version('root', 1));
      const results = await Promise.all([store.putFrameVersion(X, a), store.putFrameVersion(X, b), store.putFrameVersion(X, a)]);
      expect(results.filter((r) => r)).toHaveLength(1);
      const winner = [a, b, a][results.indexOf(true)];
      expect(await store.latestFrame(X, 'root')).toEqual(winner);
      expect(await store.putFrameVersion(X, version('root', 1, { lc: 99 }))).toBe(false);
    });

    it('reads the highest version of a frame, not of a frame whose id it prefixes', async () => {
      for (const v of [1, 2, 3, 10]) await store.putFrameVersion(X, version('root', v));
      await store.putFrameVersion(X, version('root/0.0.0', 50));
      await store.putFrameVersion(X, version('rootless', 60));
      expect(await store.latestFrame(X, 'root')).toEqual(version('root', 10));
      expect(await store.latestFrame(X, 'root/0.0.0')).toEqual(version('root/0.0.0', 50));
      expect(await store.latestFrame(X, 'root/1.0.0')).toBeUndefined();
      expect(await store.latestFrame(`${X}-other`, 'root')).toBeUndefined();
    });

    it('says whether a frame has a version, for that frame and execution alone', async () => {
      await store.putFrameVersion(X, version('root', 3));
      await store.putFrameVersion(X, version('root/0.0.0', 4));
      expect(await store.hasFrameVersion(X, 'root', 3)).toBe(true);
      expect(await store.hasFrameVersion(X, 'root', 4)).toBe(false);
      expect(await store.hasFrameVersion(X, 'root/0.0.0', 3)).toBe(false);
      expect(await store.hasFrameVersion(`${X}-other`, 'root', 3)).toBe(false);
    });

    it('reads one frame’s versions from a version on, ascending, at most a page of them', async () => {
      for (const v of [1, 2, 3, 5, 10]) await store.putFrameVersion(X, version('root', v));
      await store.putFrameVersion(X, version('root/0.0.0', 4));
      expect(ids(await store.frameVersions(X, 'root', 0, 1000))).toEqual(['root@1', 'root@2', 'root@3', 'root@5', 'root@10']);
      expect(ids(await store.frameVersions(X, 'root', 3, 2))).toEqual(['root@3', 'root@5']);
      expect(ids(await store.frameVersions(X, 'root', 11, 2))).toEqual([]);
      expect(ids(await store.frameVersions(X, 'root/0.0.0', 0, 1))).toEqual(['root/0.0.0@4']);
      expect(await store.frameVersions(`${X}-other`, 'root', 0, 10)).toEqual([]);
    });

    it('finds the latest version of every frame under a prefix, by frame id', async () => {
      await store.putFrameVersion(X, version('root', 1));
      await store.putFrameVersion(X, version('root/1.0.1', 1));
      await store.putFrameVersion(X, version('root/1.0.0', 1));
      await store.putFrameVersion(X, version('root/1.0.0', 2));
      await store.putFrameVersion(X, version('root/1.0.0/3.0.0', 1));
      await store.putFrameVersion(X, version('root/1.1.0', 4));
      await store.putFrameVersion(X, version('root/2.0.0', 1));
      expect(ids(await store.framesUnder(X, 'root/'))).toEqual(['root/1.0.0@2', 'root/1.0.0/3.0.0@1', 'root/1.0.1@1', 'root/1.1.0@4', 'root/2.0.0@1']);
      expect(ids(await store.framesUnder(X, 'root/1.0.'))).toEqual(['root/1.0.0@2', 'root/1.0.0/3.0.0@1', 'root/1.0.1@1']);
      expect(await store.framesUnder(X, 'root/1.0.0/')).toEqual([version('root/1.0.0/3.0.0', 1)]);
      expect(await store.framesUnder(X, 'root/9.')).toEqual([]);
    });

    it('returns every version of the execution, by frame id then version', async () => {
      await store.putFrameVersion(X, version('root/0.0.1', 1));
      await store.putFrameVersion(X, version('root', 2));
      await store.putFrameVersion(X, version('root', 1));
      await store.putFrameVersion(X, version('root/0.0.0', 1));
      await store.putFrameVersion(X, version('root', 10));
      await store.putFrameVersion(`${X}-other`, version('root', 1));
      const all = await store.allFrameVersions(X);
      expect(ids(all)).toEqual(['root@1', 'root@2', 'root@10', 'root/0.0.0@1', 'root/0.0.1@1']);
      expect(all[2]).toEqual(version('root', 10));
      expect(await store.allFrameVersions(`${X}-none`)).toEqual([]);
    });

    it('marks an outbox done in place, and ignores a version that does not exist', async () => {
      const outbox = { cause: 'Enter|root|1', effects: [{ type: 'Deliver' }], done: false };
      await store.putFrameVersion(X, version('root', 1, { outbox }));
      await store.putFrameVersion(X, version('root', 2));
      await store.markOutboxDone(X, 'root', 1);
      await store.markOutboxDone(X, 'root', 2);
      await store.markOutboxDone(X, 'root', 7);
      expect(await store.allFrameVersions(X)).toEqual([version('root', 1, { outbox: { ...outbox, done: true } }), version('root', 2)]);
    });

    it('keeps large frame versions whole', async () => {
      const big = version('root', 1, { frame: frame('root', 1, { input: { text: 'x'.repeat(20_000), list: Array.from({ length: 500 }, (_, i) => i) } }) });
      await store.putFrameVersion(X, big);
      expect(await store.latestFrame(X, 'root')).toEqual(big);
    });
  });

  describe('child completions', () => {
    const done = (frameId: string, entry: number, run: number, index: number, extra: Partial<ChildCompletedMessage> = {}): ChildCompletion => ({
      message: { type: 'ChildCompleted', frameId, entry, run, index, status: 'SUCCEEDED', ...extra },
      redrives: 0,
    });

    it('reads one child run’s completions by index from an index on, at most a page, a rewrite replacing the first', async () => {
      for (const index of [12, 3, 0, 7, 100]) await store.putChildCompletion(X, done('root', 4, 1, index));
      await store.putChildCompletion(X, { ...done('root', 4, 1, 7, { status: 'FAILED', error: 'E', cause: 'c'.repeat(3_000) }), redrives: 1 });
      await store.putChildCompletion(X, done('root', 4, 0, 5)); // another run
      await store.putChildCompletion(X, done('root', 5, 1, 6)); // another entry of the state
      await store.putChildCompletion(X, done('root/4.1.0', 4, 1, 8)); // a child's own children
      await store.putChildCompletion(`${X}-other`, done('root', 4, 1, 9));
      expect(await store.childCompletions(X, 'root', 4, 1, 0, 10)).toEqual([
        done('root', 4, 1, 0),
        done('root', 4, 1, 3),
        { ...done('root', 4, 1, 7, { status: 'FAILED', error: 'E', cause: 'c'.repeat(3_000) }), redrives: 1 },
        done('root', 4, 1, 12),
        done('root', 4, 1, 100),
      ]);
      expect((await store.childCompletions(X, 'root', 4, 1, 4, 2)).map((c) => c.message.index)).toEqual([7, 12]);
      expect(await store.childCompletions(X, 'root', 4, 2, 0, 10)).toEqual([]);
      expect(await store.childCompletions(X, 'root/4.1.0', 4, 1, 0, 10)).toEqual([done('root/4.1.0', 4, 1, 8)]);
    });
  });

  describe('values', () => {
    it('keeps a value per execution and hash, and fails to read one never written', async () => {
      await store.putValue(X, 'h1', '{"big":true}');
      await store.putValue(X, 'h1', '{"big":true}');
      await store.putValue(`${X}-other`, 'h1', '[1]');
      expect(await store.getValue(X, 'h1')).toBe('{"big":true}');
      expect(await store.getValue(`${X}-other`, 'h1')).toBe('[1]');
      await expect(store.getValue(X, 'h2')).rejects.toThrow(`The value h2 of ${X} is missing`);
    });

    it('lists the values of one execution under a key prefix, by key, a rewrite replacing its entry', async () => {
      await store.putValue(X, 'list#002', '"b"');
      await store.putValue(X, 'list#001', '"a"');
      await store.putValue(X, 'list#001', '"a2"');
      await store.putValue(X, 'lis', '"not under"');
      await store.putValue(`${X}-other`, 'list#000', '"elsewhere"');
      expect(await store.valuesUnder(X, 'list#')).toEqual([
        { key: 'list#001', json: '"a2"' },
        { key: 'list#002', json: '"b"' },
      ]);
      expect(await store.valuesUnder(X, 'none#')).toEqual([]);
    });
  });

  describe('activities', () => {
    it('puts, lists by ARN and deletes activities', async () => {
      const b = { activityArn: `${ACTIVITY}-b`, name: 'review-b', creationDate: T0, tags: { k: 'v' } };
      const a = { activityArn: ACTIVITY, name: 'review', creationDate: T0 + 1 };
      await store.putActivity(b);
      await store.putActivity(a);
      expect(await store.getActivity(ACTIVITY)).toEqual(a);
      expect(await store.listActivities()).toEqual([a, b]);
      await store.deleteActivity(ACTIVITY);
      expect(await store.getActivity(ACTIVITY)).toBeUndefined();
      expect(await store.listActivities()).toEqual([b]);
    });

    it('hands out waiting tasks oldest first, each once, an enqueue repeated counting once', async () => {
      await store.enqueueActivityTask(ACTIVITY, task('t2', T0 + 2));
      await store.enqueueActivityTask(ACTIVITY, task('t1', T0 + 1));
      await store.enqueueActivityTask(ACTIVITY, task('t2', T0 + 2));
      await store.enqueueActivityTask(`${ACTIVITY}-other`, task('t0', T0));
      expect(await store.takeActivityTask(ACTIVITY)).toEqual(task('t1', T0 + 1));
      expect(await store.takeActivityTask(ACTIVITY)).toEqual(task('t2', T0 + 2));
      expect(await store.takeActivityTask(ACTIVITY)).toBeUndefined();
      expect(await store.takeActivityTask(`${ACTIVITY}-other`)).toEqual(task('t0', T0));
    });

    it('gives one task to exactly one of many workers taking at once', async () => {
      await store.enqueueActivityTask(ACTIVITY, task('only', T0));
      const taken = await Promise.all(Array.from({ length: 5 }, () => store.takeActivityTask(ACTIVITY)));
      expect(taken.filter((t) => t !== undefined)).toEqual([task('only', T0)]);
    });
  });

  describe('task claims', () => {
    const KEY = 'root#3#1';
    const result: Message = { type: 'TaskSucceeded', frameId: 'root', entry: 3, attempt: 1, output: { ok: 1 } };

    it('lets one claimant take an attempt, and keeps the claim time until an outcome is recorded', async () => {
      const claims = await Promise.all([store.claimTask(X, KEY, T0), store.claimTask(X, KEY, T0 + 1)]);
      expect(claims.filter((c) => c)).toHaveLength(1);
      expect(await store.getTaskClaim(X, KEY)).toEqual({ claimedAt: claims[0] ? T0 : T0 + 1 });
      expect(await store.getTaskClaim(X, 'root#3#2')).toBeUndefined();
      await store.recordTaskResult(X, KEY, result);
      expect(await store.getTaskClaim(X, KEY)).toEqual({ claimedAt: 0, result });
      expect(await store.claimTask(X, KEY, T0 + 2)).toBe(false);
    });

    it('records that an attempt waits for its token, and a result without a claim taken before', async () => {
      await store.claimTask(X, KEY, T0);
      await store.recordTaskResult(X, KEY, null);
      expect(await store.getTaskClaim(X, KEY)).toEqual({ claimedAt: 0, pending: true });
      await store.recordTaskResult(`${X}-other`, KEY, result);
      expect(await store.getTaskClaim(`${X}-other`, KEY)).toEqual({ claimedAt: 0, result });
      expect(await store.claimTask(`${X}-other`, KEY, T0)).toBe(false);
    });
  });
});

describe('DynamoStore retention (the table’s TTL)', () => {
  it('treats an execution whose retention has passed as gone, before TTL deletes it', async () => {
    const store = await dynamoStore({ retentionSeconds: 60 });
    // Ended long ago: its record expired 60 s after its stop date.
    const ended = execution('ended', T0 - 10);
    const running = execution('running', T0);
    await store.createExecution(ended);
    await store.createExecution(running);
    expect(await store.finishExecution(ended.info.executionArn, { status: 'SUCCEEDED', stopDate: 1_000 })).toBe(true);
    expect(await store.getExecution(ended.info.executionArn)).toBeUndefined();
    expect(await listAll(store, SM, 100)).toEqual(['running']);
    // A running execution's items are kept a year on, plus the retention.
    await store.putFrameVersion(running.info.executionArn, version('root', 1));
    expect(await store.latestFrame(running.info.executionArn, 'root')).toEqual(version('root', 1));
  });

  it('keeps a claim given keepMs that long from its write, not the running execution’s year and retention; one without, as long as those', async () => {
    const store = await dynamoStore({ retentionSeconds: 90 * 86_400 });
    const record = execution('claims', T0);
    await store.createExecution(record);
    const arn = record.info.executionArn;
    const expiryOf = async (sk: string): Promise<number> => Number((await local.client().send(new GetItemCommand({ TableName: lastTable, Key: { pk: { S: executionKey(arn) }, sk: { S: sk } } }))).Item!.ex!.N);
    const before = Math.floor(Date.now() / 1000);
    expect(await store.claimTask(arn, 'root#0#0', 1, 15 * 86_400_000)).toBe(true);
    await store.recordTaskResult(arn, 'root#1#0', { type: 'TaskSucceeded', frameId: 'root', entry: 1, attempt: 0, output: 1 }, 15 * 86_400_000);
    expect(await store.claimTask(arn, 'root#2#0', 1)).toBe(true);
    const after = Math.ceil(Date.now() / 1000);
    for (const sk of ['C#root#0#0', 'C#root#1#0']) {
      expect(await expiryOf(sk)).toBeGreaterThanOrEqual(before + 15 * 86_400);
      expect(await expiryOf(sk)).toBeLessThanOrEqual(after + 15 * 86_400);
    }
    expect(await expiryOf('C#root#2#0')).toBeGreaterThanOrEqual(before + 366 * 86_400 + 90 * 86_400);
    expect(await store.getTaskClaim(arn, 'root#0#0')).toEqual({ claimedAt: 1 });
  });

  it('lets an execution’s own retention win over the store’s', async () => {
    const store = await dynamoStore({ retentionSeconds: 10 * 365 * 86_400 });
    const record = { ...execution('short', T0), retentionSeconds: 1 };
    await store.createExecution(record);
    await store.finishExecution(record.info.executionArn, { status: 'FAILED', stopDate: 1_000, error: 'E' }, record);
    expect(await store.getExecution(record.info.executionArn)).toBeUndefined();
  });
});
