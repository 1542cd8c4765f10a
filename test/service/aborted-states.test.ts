/**
 * States ended from outside record what Step Functions records, with the
 * same history in the cloud driver as in-process: a Parallel whose branch
 * fails cuts the others short (each running state's …Aborted event,
 * innermost first, before ParallelStateFailed); StopExecution records no
 * state's …Aborted event (as AWS records a stopped Wait) but aborts a
 * DISTRIBUTED Map's Map Run (MapRunAborted) and ends each of its child
 * executions with ExecutionAborted.
 */
import type { JsonValue } from '../../lib/asl/json';
import type { TaskRunner } from '../../lib/engine/ports/task-runner';
import { LocalRuntime } from '../../lib/local/runtime';
import { setup } from './memory-cloud';

const ROLE = 'arn:aws:iam::123456789012:role/switchyard-local'; // LocalRuntime's, so the histories match to the byte

/** A callback task: it waits for its token, which never comes. */
const waits: TaskRunner = { run: async () => ({ kind: 'pending' }) };
const CALLBACK = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'Notify', Payload: { 'token.$': '$$.Task.Token' } } };

/** A history without timestamps and with task tokens (drawn per runtime) replaced. */
function normal(history: readonly object[]): object[] {
  const text = JSON.stringify(history.map(({ timestamp: _t, ...rest }: { timestamp?: unknown }) => rest));
  return JSON.parse(text.replace(/"token\\":\\"[^\\]*\\"/g, '"token\\":\\"T\\"')) as object[];
}

const types = (history: readonly object[]) => history.map((e) => (e as { type: string }).type);

/** Lets the in-process execution run until it waits (for a token or a timer). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Runs `definition` in-process; with `stop`, stops it once it waits. */
async function inProcess(definition: object, input: JsonValue, stop = false) {
  const runtime = new LocalRuntime({ taskRunner: waits, timeScale: 0.001 });
  const handle = runtime.startExecution(definition, { input, name: 'e', stateMachineName: 'm' });
  if (stop) {
    await settle();
    runtime.stopExecution(handle.executionArn);
  }
  const r = await handle.result;
  const children = runtime.getExecution(handle.executionArn)!.childExecutions();
  return { status: r.status, history: normal(r.history), children: children.map((c) => normal(c.history)) };
}

/** Runs `definition` in the cloud driver on the in-memory ports; with `stop`, stops it once it waits. */
async function inCloud(definition: object, input: JsonValue, stop = false) {
  const c = setup({ tasks: waits });
  const sm = await c.driver.putStateMachine('m', JSON.stringify(definition), ROLE);
  const { executionArn } = await c.driver.startExecution(sm.stateMachineArn, { name: 'e', input });
  await c.drain(stop);
  if (stop) {
    await c.driver.stopExecution(executionArn);
    await c.drain();
  }
  const described = await c.driver.describeExecution(executionArn);
  const mapRuns = (await c.driver.mapRuns.listMapRuns(executionArn, 1000)).items;
  const children: object[][] = [];
  const mapRunStatuses: string[] = [];
  for (const run of mapRuns) {
    mapRunStatuses.push((await c.driver.mapRuns.describeMapRun(run.mapRunArn)).status);
    for (const child of (await c.driver.mapRuns.listChildren(run.mapRunArn, { limit: 1000 })).items) children.push(normal(await c.driver.getExecutionHistory(child.executionArn)));
  }
  return { status: described.status, history: normal(await c.driver.getExecutionHistory(executionArn)), children, mapRunStatuses };
}

describe('states ended from outside', () => {
  it('cuts a failing Parallel’s other branches short, innermost first, before ParallelStateFailed', async () => {
    const definition = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Soon', States: { Soon: { Type: 'Wait', Seconds: 1, Next: 'Boom' }, Boom: { Type: 'Fail', Error: 'Boom', Cause: 'b' } } },
            { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 100_000, End: true } } },
            { StartAt: 'Inner', States: { Inner: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'Ask', States: { Ask: { ...CALLBACK, End: true } } }] } } },
          ],
        },
      },
    };
    const local = await inProcess(definition, {});
    const cloud = await inCloud(definition, {});

    expect(types(local.history)).toEqual([
      'ExecutionStarted',
      'ParallelStateEntered',
      'ParallelStateStarted',
      'WaitStateEntered',
      'WaitStateEntered',
      'ParallelStateEntered',
      'ParallelStateStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'WaitStateExited',
      'FailStateEntered',
      'WaitStateAborted',
      'TaskStateAborted',
      'ParallelStateAborted',
      'ParallelStateFailed',
      'ExecutionFailed',
    ]);
    // Each …Aborted event follows its own state's last event; the Parallel's failure, its own.
    const at = (i: number) => local.history[i] as { id: number; previousEventId: number };
    expect([at(12).previousEventId, at(13).previousEventId, at(14).previousEventId, at(15).previousEventId]).toEqual([at(4).id, at(9).id, at(6).id, at(2).id]);
    expect(cloud.history).toEqual(local.history);
    expect([cloud.status, local.status]).toEqual(['FAILED', 'FAILED']);
  });

  it('records no state’s …Aborted event when the execution is stopped, as Step Functions records a stopped Wait', async () => {
    const definition = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Next: 'Hold',
          Branches: [{ StartAt: 'Ask', States: { Ask: { ...CALLBACK, End: true } } }],
        },
        Hold: { Type: 'Wait', Seconds: 100_000, End: true },
      },
    };
    const local = await inProcess(definition, {}, true);
    const cloud = await inCloud(definition, {}, true);

    expect(types(local.history)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'ExecutionAborted']);
    expect(cloud.history).toEqual(local.history);
    expect([cloud.status, local.status]).toEqual(['ABORTED', 'ABORTED']);
  });

  it('aborts a stopped execution’s Map Run, and ends each of its child executions with ExecutionAborted', async () => {
    const definition = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          Label: 'Each',
          End: true,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Ask', States: { Ask: { ...CALLBACK, End: true } } },
        },
      },
    };
    const local = await inProcess(definition, { items: [1, 2] }, true);
    const cloud = await inCloud(definition, { items: [1, 2] }, true);

    expect(types(local.history)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunAborted', 'ExecutionAborted']);
    expect(local.children.map(types)).toEqual([
      ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'ExecutionAborted'],
      ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'ExecutionAborted'],
    ]);
    expect(cloud.history).toEqual(local.history);
    expect(cloud.children).toEqual(local.children);
    expect(cloud.mapRunStatuses).toEqual(['ABORTED']);
  });

  it('stops a DISTRIBUTED Map’s child executions when a sibling branch fails, and aborts its Map Run and state', async () => {
    const failing = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Soon', States: { Soon: { Type: 'Wait', Seconds: 1, Next: 'Boom' }, Boom: { Type: 'Fail', Error: 'Boom' } } },
            {
              StartAt: 'M',
              States: {
                M: {
                  Type: 'Map',
                  ItemsPath: '$.items',
                  Label: 'Each',
                  End: true,
                  ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Ask', States: { Ask: { ...CALLBACK, End: true } } },
                },
              },
            },
          ],
        },
      },
    };
    const local = await inProcess(failing, { items: [1] });
    const cloud = await inCloud(failing, { items: [1] });

    expect(types(local.history)).toEqual([
      'ExecutionStarted',
      'ParallelStateEntered',
      'ParallelStateStarted',
      'WaitStateEntered',
      'MapStateEntered',
      'MapStateStarted',
      'MapRunStarted',
      'WaitStateExited',
      'FailStateEntered',
      'MapRunAborted',
      'MapStateAborted',
      'ParallelStateFailed',
      'ExecutionFailed',
    ]);
    expect(local.children.map(types)).toEqual([['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'ExecutionAborted']]);
    expect(cloud.history).toEqual(local.history);
    expect(cloud.children).toEqual(local.children);
    expect(cloud.mapRunStatuses).toEqual(['ABORTED']);
  });
});
