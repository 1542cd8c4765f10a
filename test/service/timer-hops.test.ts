/**
 * A long wait's hops: each sent once however often it is delivered, none lost when its handler dies — on
 * MemoryStore and on DynamoStore on dynalite (started by this test, a fresh table per test).
 */
import { DynamoStore } from '../../lib/aws/dynamodb-store';
import { processBatch } from '../../lib/service/batch';
import { CloudDriver } from '../../lib/service/driver';
import { MemoryQueue, MemoryStore } from '../../lib/service/memory';
import type { Envelope, ExecutionStore, Outgoing } from '../../lib/service/ports';
import { RetryLaterError } from '../../lib/service/retry-later';
import { MessageSender } from '../../lib/service/sender';
import { HopOutcome, hopKey, TimerHops } from '../../lib/service/timer-hops';
import { localTables } from '../aws/dynamodb/local-tables';

jest.setTimeout(60_000);

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:M:e1';
const START = Date.UTC(2026, 10, 1);
const GRACE = 60_000;

/** A hop 0 of a Wait due in an hour, as MessageSender sent it. */
const first: Envelope = { v: 1, executionArn: ARN, message: { type: 'Timer', frameId: 'root', entry: 1, timer: 'Wait' }, lc: 3, notBefore: START + 3_600_000 };

const local = localTables('hops');

async function dynamoStore(): Promise<DynamoStore> {
  return new DynamoStore({ client: local.client(), tableName: await local.table() });
}

function setup(store: ExecutionStore) {
  let clock = START + 900_000;
  const sent: Outgoing[] = [];
  let failSends = 0;
  const queue = {
    send: async (out: Outgoing[]) => {
      if (failSends > 0 && failSends--) throw new Error('the process died before the send');
      sent.push(...out);
    },
    deadLetter: async () => {},
  };
  const hops = new TimerHops({ store, sender: new MessageSender(queue, () => clock, 900_000), now: () => clock, graceMs: GRACE });
  return { store, sent, hops, advance: (ms: number) => (clock += ms), failNextSend: () => void (failSends = 1) };
}

const stores: [string, () => Promise<ExecutionStore>][] = [
  ['MemoryStore', async () => new MemoryStore()],
  ['DynamoStore', () => dynamoStore()],
];

describe.each(stores)('TimerHops on %s', (_name, make) => {
  let store: ExecutionStore;
  beforeEach(async () => {
    store = await make();
  });

  it('sends the next hop once when a not-yet-due hop is delivered five times', async () => {
    const { hops, sent } = setup(store);
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await hops.forward(first));
    expect(outcomes).toEqual([HopOutcome.SENT, HopOutcome.ALREADY_SENT, HopOutcome.ALREADY_SENT, HopOutcome.ALREADY_SENT, HopOutcome.ALREADY_SENT]);
    expect(sent).toEqual([{ envelope: { ...first, hops: 1 }, delayMs: 900_000 }]);
  });

  it('sends the next hop once when five deliveries of a hop run at once, the others back to the queue or done', async () => {
    const { hops, sent } = setup(store);
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => hops.forward(first)));
    const named = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).name));
    expect(named.filter((n) => n === HopOutcome.SENT)).toHaveLength(1);
    expect(named.filter((n) => n !== HopOutcome.SENT).every((n) => n === HopOutcome.ALREADY_SENT || n === 'RetryLaterError')).toBe(true);
    expect(sent.map((o) => o.envelope.hops)).toEqual([1]);
  });

  it('keys a hop by its message, its due time and how many hops it made', () => {
    expect(hopKey(first)).toBe(`hop|Timer|root|1||Wait|||||${START + 3_600_000}|0`);
    expect(hopKey({ ...first, hops: 2 })).toBe(`hop|Timer|root|1||Wait|||||${START + 3_600_000}|2`);
  });

  it('sends a hop claimed by a handler that died before sending, once, after the grace', async () => {
    const { hops, sent, advance, failNextSend } = setup(store);
    failNextSend();
    await expect(hops.forward(first)).rejects.toThrow('the process died before the send');
    // Within the grace the claimer may still be at work: the delivery goes back to the queue.
    await expect(hops.forward(first)).rejects.toThrow(RetryLaterError);
    advance(GRACE);
    expect(await hops.forward(first)).toBe(HopOutcome.SENT);
    expect(await hops.forward(first)).toBe(HopOutcome.ALREADY_SENT);
    expect(sent).toEqual([{ envelope: { ...first, hops: 1 }, delayMs: 900_000 }]);
  });

  it('lets one taker over a dead claim send, and the next taker over a dead taker', async () => {
    const { hops, sent, advance, failNextSend } = setup(store);
    failNextSend();
    await expect(hops.forward(first)).rejects.toThrow();
    advance(GRACE);
    failNextSend();
    await expect(hops.forward(first)).rejects.toThrow(); // the first taker dies too
    await expect(hops.forward(first)).rejects.toThrow(RetryLaterError); // while the taker's claim is young
    advance(GRACE);
    expect(await hops.forward(first)).toBe(HopOutcome.SENT);
    expect(sent.map((o) => o.envelope.hops)).toEqual([1]);
  });

  it('stops the extra copy of a hop sent by a handler that died before recording it sent at the next hop', async () => {
    const { hops, sent, advance } = setup(store);
    const record = store.recordTaskResult.bind(store);
    store.recordTaskResult = async () => {
      store.recordTaskResult = record;
      throw new Error('the process died after the send');
    };
    await expect(hops.forward(first)).rejects.toThrow('the process died after the send');
    advance(GRACE);
    expect(await hops.forward(first)).toBe(HopOutcome.SENT);
    // Two copies of hop 1, each delivered three times: one hop 2.
    expect(sent.map((o) => o.envelope.hops)).toEqual([1, 1]);
    advance(900_000 - GRACE);
    for (const copy of [sent[0].envelope, sent[1].envelope, sent[0].envelope, sent[1].envelope, sent[0].envelope, sent[1].envelope]) await hops.forward(copy);
    expect(sent.map((o) => o.envelope.hops)).toEqual([1, 1, 2]);
  });
});

/** A queue that delivers every message three times, counting the driver's sends per hop. */
class TriplingQueue extends MemoryQueue {
  readonly hopsSent = new Map<number, number>();
  override async send(messages: Outgoing[]): Promise<void> {
    for (const m of messages) {
      if (m.envelope.notBefore !== undefined) this.hopsSent.set(m.envelope.hops ?? 0, (this.hopsSent.get(m.envelope.hops ?? 0) ?? 0) + 1);
      for (let i = 0; i < 3; i++) this.enqueue(JSON.stringify(m.envelope), m.delayMs);
    }
  }
}

describe('a long Wait through the cloud driver, every message delivered three times', () => {
  it('queues one message per hop and leaves the Wait once, when it is due', async () => {
    let clock = START;
    const now = () => clock;
    const store = new MemoryStore();
    const queue = new TriplingQueue(now, 30_000);
    const driver = new CloudDriver({ store, queue, tasks: { run: async () => ({ kind: 'pending' }) }, now, sleep: async () => {} });
    const sm = await driver.putStateMachine('w', JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3 * 3600, End: true } } }));
    const { executionArn, startDate } = await driver.startExecution(sm.stateMachineArn, { input: { a: 1 } });
    for (let i = 0; i < 1_000; i++) {
      const batch = queue.receive(10);
      if (batch.length === 0) {
        const next = queue.nextVisibleAt();
        if (next === undefined) break;
        clock = Math.max(clock, next);
        continue;
      }
      const res = await processBatch(driver, queue, batch.map((b) => ({ messageId: b.id, body: b.body })), { log: () => {} });
      const failed = new Set(res.batchItemFailures.map((f) => f.itemIdentifier));
      for (const b of batch) if (!failed.has(b.id)) queue.delete(b.id);
    }
    // Three hours at 15 minutes a hop: the first send and 11 hops, each once.
    expect([...queue.hopsSent.entries()]).toEqual(Array.from({ length: 12 }, (_, h) => [h, 1]));
    expect(queue.size).toBe(0);
    const history = await driver.getExecutionHistory(executionArn);
    expect(history.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded']);
    const exited = history.find((e) => e.type === 'WaitStateExited')!.timestamp - startDate;
    expect(exited).toBeGreaterThanOrEqual(3 * 3_600_000);
    expect(exited).toBeLessThan(3 * 3_600_000 + 2_000);
    expect((await driver.describeExecution(executionArn)).status).toBe('SUCCEEDED');
  });
});
