/**
 * GetExecutionHistory page by page (lib/service/history-pages.ts): every
 * page size, forward and in reverse, gives the whole history's events in
 * order with the same ids, and a forward page reads only the frame
 * versions it needs.
 */
import type { HistoryEvent } from '../../lib/engine/history';
import type { TaskInvocation } from '../../lib/engine/ports/task-runner';
import { ServiceError } from '../../lib/engine/service-errors';
import type { CloudDriver } from '../../lib/service/driver';
import { setup } from './memory-cloud';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:Work';

const task = (id: string, extra: object = {}) => ({ Type: 'Task', Resource: FN, Parameters: { id, 'input.$': '$' }, ...extra });

const WORKFLOWS: Record<string, object> = {
  parallel: {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'A', States: { A: { ...task('a'), Next: 'A2' }, A2: { Type: 'Pass', End: true } } },
          { StartAt: 'B', States: { B: { Type: 'Wait', Seconds: 5, Next: 'B2' }, B2: { ...task('b'), End: true } } },
        ],
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  },
  nestedMap: {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        MaxConcurrency: 2,
        ItemsPath: '$.items',
        ItemProcessor: {
          StartAt: 'Inner',
          States: {
            Inner: { Type: 'Parallel', Branches: [{ StartAt: 'T', States: { T: { ...task('t'), End: true } } }, { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }], End: true },
          },
        },
        End: true,
      },
    },
  },
  caughtFailure: {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: { StartAt: 'T', States: { T: { ...task('fail'), End: true } } },
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }],
        End: true,
      },
      Recover: { Type: 'Pass', End: true },
    },
  },
};

async function run(definition: object) {
  const tasks = {
    run: async (inv: TaskInvocation) => {
      const p = inv.parameters as { id: string; input: { n?: number } };
      if (p.id === 'fail' && p.input.n === 2) return { kind: 'failed' as const, error: 'Work.Broken', cause: 'two' };
      return { kind: 'succeeded' as const, output: { done: p.id } };
    },
  };
  const c = setup({ tasks });
  const sm = await c.driver.putStateMachine('paged', JSON.stringify(definition));
  const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, { input: { items: [{ n: 1 }, { n: 2 }, { n: 3 }] } });
  await c.drain();
  return { ...c, executionArn };
}

async function allPages(driver: CloudDriver, arn: string, limit: number, reverse = false): Promise<HistoryEvent[][]> {
  const pages: HistoryEvent[][] = [];
  let nextToken: string | undefined;
  do {
    const page = await driver.getExecutionHistoryPage(arn, limit, { reverse, ...(nextToken !== undefined ? { nextToken } : {}) });
    pages.push(page.events);
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return pages;
}

describe('GetExecutionHistory page by page', () => {
  describe.each(Object.keys(WORKFLOWS))('%s', (name) => {
    it.each([1, 2, 3, 1000])('gives the whole history %d events at a time, forward and in reverse', async (limit) => {
      const { driver, executionArn } = await run(WORKFLOWS[name]);
      const whole = await driver.getExecutionHistory(executionArn);

      const forward = await allPages(driver, executionArn, limit);
      const reverse = await allPages(driver, executionArn, limit, true);

      expect(whole.length).toBeGreaterThan(10);
      expect(forward.flat()).toEqual(whole);
      expect(reverse.flat()).toEqual([...whole].reverse());
      expect(forward.every((p) => p.length <= limit)).toBe(true);
    });
  });

  it('continues through a redrive of Map iterations', async () => {
    let healed = false;
    const tasks = {
      run: async (inv: TaskInvocation) => {
        const p = inv.parameters as { input: { n?: number } };
        return p.input.n === 2 && !healed ? { kind: 'failed' as const, error: 'Work.Broken', cause: 'two' } : { kind: 'succeeded' as const, output: { ok: p.input.n ?? 0 } };
      },
    };
    const c = setup({ tasks });
    const sm = await c.driver.putStateMachine('paged', JSON.stringify({ StartAt: 'Each', States: { Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'T', States: { T: { ...task('x'), End: true } } }, End: true } } }));
    const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, { input: { items: [{ n: 1 }, { n: 2 }] } });
    await c.drain();
    healed = true;
    await c.driver.redriveExecution(executionArn);
    await c.drain();
    const whole = await c.driver.getExecutionHistory(executionArn);

    expect(whole[whole.length - 1].type).toBe('ExecutionSucceeded');
    expect((await allPages(c.driver, executionArn, 2)).flat()).toEqual(whole);
  });

  it('reads a page of a long single-frame history with one query, not every version', async () => {
    const loop = { StartAt: 'Count', States: { Count: { Type: 'Pass', Next: 'Check' }, Check: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericGreaterThanEquals: 300, Next: 'End' }], Default: 'Inc' }, Inc: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Count' }, End: { Type: 'Succeed' } } };
    const c = setup();
    const sm = await c.driver.putStateMachine('loop', JSON.stringify(loop));
    const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, { input: { i: 0 } });
    await c.drain();
    const reads: string[] = [];
    const frameVersions = c.store.frameVersions.bind(c.store);
    const allFrameVersions = c.store.allFrameVersions.bind(c.store);
    c.store.frameVersions = async (...args) => (reads.push(`frameVersions ${args[1]} from ${args[2]} limit ${args[3]}`), frameVersions(...args));
    c.store.allFrameVersions = async (arn) => (reads.push('allFrameVersions'), allFrameVersions(arn));

    const first = await c.driver.getExecutionHistoryPage(executionArn, 100);
    const second = await c.driver.getExecutionHistoryPage(executionArn, 100, { nextToken: first.nextToken! });

    expect(first.events.map((e) => e.id)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(second.events[0].id).toBe(101);
    expect(reads).toEqual(['frameVersions root from 0 limit 101', expect.stringMatching(/^frameVersions root from \d+ limit 101$/)]);
  });

  it('refuses a nextToken of another execution, or of the other order, with InvalidToken', async () => {
    const a = await run(WORKFLOWS.parallel);
    const sm = await a.driver.describeStateMachine((await a.driver.describeExecution(a.executionArn)).info.stateMachineArn);
    const { executionArn: other } = await a.driver.startExecution(sm.stateMachineArn, { name: 'other', input: {} });
    const page = await a.driver.getExecutionHistoryPage(a.executionArn, 2);

    await expect(a.driver.getExecutionHistoryPage(other, 2, { nextToken: page.nextToken! })).rejects.toThrow(new ServiceError('InvalidToken', 'Invalid Token'));
    await expect(a.driver.getExecutionHistoryPage(a.executionArn, 2, { reverse: true, nextToken: page.nextToken! })).rejects.toThrow(new ServiceError('InvalidToken', 'Invalid Token'));
    await expect(a.driver.getExecutionHistoryPage(a.executionArn, 2, { nextToken: 'bm90IGEgdG9rZW4' })).rejects.toThrow(new ServiceError('InvalidToken', 'Invalid Token'));
  });
});
