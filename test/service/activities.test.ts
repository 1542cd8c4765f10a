/** Activities, GetActivityTask, and task tokens: a token moves only the attempt it names, while that attempt waits. */
import { FramePhase, FrameStatus, type Frame } from '../../lib/engine/frame';
import { ServiceError } from '../../lib/engine/service-errors';
import { encodeTaskToken } from '../../lib/engine/token';
import { Activities } from '../../lib/service/activities';
import { MemoryQueue, MemoryStore } from '../../lib/service/memory';
import { PayloadCodec } from '../../lib/service/payload-codec';
import type { Envelope } from '../../lib/service/ports';
import { MessageSender } from '../../lib/service/sender';
import { StoredState } from '../../lib/service/stored-state';

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:M:e1';
const ACTIVITY = 'arn:aws:states:us-east-1:123456789012:activity:work';
/** The deployment's token key, as the test controls it. */
const KEY = Buffer.alloc(32, 7);

function setup() {
  // The clock moves only when the activities sleep: a long poll passes at once.
  let clock = 5_000;
  const now = () => clock;
  const store = new MemoryStore();
  const queue = new MemoryQueue(now);
  const stored = new StoredState(store, new PayloadCodec(store));
  const sleep = async (ms: number) => {
    clock += ms;
  };
  const activities = new Activities({ store, stored, sender: new MessageSender(queue, now, 900_000), now, sleep, region: 'us-east-1', account: '123456789012', tokenKey: KEY, taskWaitMs: 60_000 });
  const sent = () => queue.receive(10).map((r) => (JSON.parse(r.body) as Envelope).message);
  return { store, stored, activities, sent, now };
}

/** A root frame waiting on attempt 1 of entry 3 with `token`. */
function waiting(token: string): Frame {
  return {
    id: 'root',
    scope: '',
    version: 4,
    status: FrameStatus.RUNNING,
    phase: FramePhase.TASK,
    state: 'T',
    entry: 3,
    input: {},
    enteredAt: 0,
    vars: {},
    retries: [],
    task: { attempt: 1, token, heartbeats: 0 },
  };
}

async function failure(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof ServiceError)) throw new Error(`expected a ServiceError, got ${String(err)}`);
  return `${err.name}: ${err.message}`;
}

describe('Activities', () => {
  it('creates an activity once: CreateActivity is idempotent', async () => {
    const { activities } = setup();
    const first = await activities.createActivity('work');
    expect(first).toEqual({ activityArn: ACTIVITY, name: 'work', creationDate: 5_000 });
    expect(await activities.createActivity('work')).toEqual(first);
  });

  it('names an activity in the region it is created for, the deployment\'s by default', async () => {
    const { activities } = setup();
    const inParis = await activities.createActivity('work', { region: 'eu-west-3', encryptionConfiguration: { type: 'AWS_OWNED_KEY' } });
    expect(inParis).toEqual({ activityArn: 'arn:aws:states:eu-west-3:123456789012:activity:work', name: 'work', creationDate: 5_000, encryptionConfiguration: { type: 'AWS_OWNED_KEY' } });
    expect(activities.activityArn('work')).toBe(ACTIVITY);
  });

  it('holds a GetActivityTask with no task for the service\'s 60 seconds, then answers with none', async () => {
    const { activities, now } = setup();
    await activities.createActivity('work');
    expect(await activities.getActivityTask(ACTIVITY, 'w1')).toBeUndefined();
    expect(now() - 5_000).toBe(60_000);
  });

  it('hands a queued task to a worker and tells the execution it started', async () => {
    const { store, activities, sent } = setup();
    await activities.createActivity('work');
    const taskToken = encodeTaskToken({ executionArn: EXECUTION, frameId: 'root', entry: 3, attempt: 1 }, KEY);
    await store.enqueueActivityTask(ACTIVITY, { taskToken, input: '{"n":1}', executionArn: EXECUTION, scheduledAt: 0 });
    expect(await activities.getActivityTask(ACTIVITY, 'w1')).toEqual({ taskToken, input: '{"n":1}' });
    expect(sent()).toEqual([{ type: 'ActivityStarted', frameId: 'root', entry: 3, attempt: 1, workerName: 'w1' }]);
  });

  it('claims the attempt as it hands its task out, so a replayed outbox does not queue it again', async () => {
    const { store, activities } = setup();
    await activities.createActivity('work');
    const taskToken = encodeTaskToken({ executionArn: EXECUTION, frameId: 'root', entry: 3, attempt: 1 }, KEY);
    await store.enqueueActivityTask(ACTIVITY, { taskToken, input: '{}', executionArn: EXECUTION, scheduledAt: 0 });
    await activities.getActivityTask(ACTIVITY, 'w1');
    expect(await store.getTaskClaim(EXECUTION, 'root#3#1')).toEqual({ claimedAt: 5_000 });
  });

  it('applies ActivityStarted itself before the worker has the task, so the worker\'s answer cannot overtake it', async () => {
    const { store, stored, now } = setup();
    const applied: Envelope[] = [];
    const queue = new MemoryQueue(now);
    const activities = new Activities({ store, stored, sender: new MessageSender(queue, now, 900_000), now, sleep: async () => {}, region: 'us-east-1', account: '123456789012', tokenKey: KEY, taskWaitMs: 0, process: async (envelope) => void applied.push(envelope) });
    await activities.createActivity('work');
    const taskToken = encodeTaskToken({ executionArn: EXECUTION, frameId: 'root', entry: 3, attempt: 1 }, KEY);
    await store.enqueueActivityTask(ACTIVITY, { taskToken, input: '{}', executionArn: EXECUTION, scheduledAt: 0 });
    await activities.getActivityTask(ACTIVITY, 'w1');
    expect(applied.map((e) => e.message)).toEqual([{ type: 'ActivityStarted', frameId: 'root', entry: 3, attempt: 1, workerName: 'w1' }]);
  });

  it('sends a token’s success to the attempt it names', async () => {
    const { stored, activities, sent } = setup();
    const token = encodeTaskToken({ executionArn: EXECUTION, frameId: 'root', entry: 3, attempt: 1 }, KEY);
    await stored.save(EXECUTION, { frame: waiting(token), lc: 4, at: 0, events: [] });
    await activities.sendTaskSuccess(token, { done: true });
    expect(sent()).toEqual([{ type: 'TaskSucceeded', frameId: 'root', entry: 3, attempt: 1, output: { done: true } }]);
  });

  it('rejects a token that is not one, and one whose attempt no longer waits', async () => {
    const { stored, activities, sent } = setup();
    const current = encodeTaskToken({ executionArn: EXECUTION, frameId: 'root', entry: 3, attempt: 1 }, KEY);
    const older = encodeTaskToken({ executionArn: EXECUTION, frameId: 'root', entry: 3, attempt: 0 }, KEY);
    await stored.save(EXECUTION, { frame: waiting(current), lc: 4, at: 0, events: [] });
    expect(await failure(activities.sendTaskHeartbeat('not-a-token'))).toBe('InvalidToken: Invalid Token');
    expect(await failure(activities.sendTaskFailure(older, 'E'))).toBe('TaskDoesNotExist: Task Timed Out or Does Not Exist');
    expect(sent()).toEqual([]);
  });

  it('refuses a token for the waiting attempt built without the key: the old unsigned format, or signed with another key', async () => {
    const { stored, activities, sent } = setup();
    const target = { executionArn: EXECUTION, frameId: 'root', entry: 3, attempt: 1 };
    await stored.save(EXECUTION, { frame: waiting(encodeTaskToken(target, KEY)), lc: 4, at: 0, events: [] });
    const unsigned = Buffer.from(JSON.stringify([1, EXECUTION, 'root', 3, 1])).toString('base64url');
    expect(await failure(activities.sendTaskSuccess(unsigned, { forged: true }))).toBe('InvalidToken: Invalid Token');
    expect(await failure(activities.sendTaskSuccess(encodeTaskToken(target, Buffer.alloc(32, 8)), { forged: true }))).toBe('InvalidToken: Invalid Token');
    expect(sent()).toEqual([]);
  });
});
