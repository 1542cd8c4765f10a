/**
 * A DISTRIBUTED Map's ResultWriter, run in-process (developer guide,
 * "ResultWriter (Map)": the export's output shape, the manifest and the
 * per-status files; the WriterConfig transformations).
 */
import { LocalRuntime } from '../../../lib/local/runtime';
import type { TaskRunner } from '../../../lib/engine/ports/task-runner';

const ITEM_FAILS: TaskRunner = {
  async run(invocation) {
    const n = (invocation.parameters as { n: number }).n;
    return n === 3 ? { kind: 'failed', error: 'Odd', cause: 'three' } : { kind: 'succeeded', output: [n, n * 10] };
  },
};

function machine(resultWriter: object, extra: object = {}) {
  return {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemSelector: { 'n.$': '$$.Map.Item.Value' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Work',
          States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Work', End: true } },
        },
        Label: 'Each',
        ToleratedFailurePercentage: 50,
        ResultWriter: resultWriter,
        ...extra,
        End: true,
      },
    },
  };
}

describe('ResultWriter', () => {
  it('exports the records by status under <Prefix>/<map run id>/ and returns the MapRunArn and the manifest location', async () => {
    const runtime = new LocalRuntime({ timeScale: 0, taskRunner: ITEM_FAILS });
    const result = await runtime.startExecution(
      machine({ Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'runs' } }),
      { input: { items: [1, 2, 3] }, name: 'exec1', stateMachineName: 'Orders' },
    ).result;
    expect(result.status).toBe('SUCCEEDED');
    const out = result.output as { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
    expect(out.MapRunArn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:Orders\/Each:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const runId = out.MapRunArn.split(':').pop();
    expect(out.ResultWriterDetails).toEqual({ Bucket: 'results', Key: `runs/${runId}/manifest.json` });

    const manifest = JSON.parse(runtime.resultObjects.get(`s3://results/runs/${runId}/manifest.json`)!);
    const succeededBody = runtime.resultObjects.get(`s3://results/runs/${runId}/SUCCEEDED_0.json`)!;
    const failedBody = runtime.resultObjects.get(`s3://results/runs/${runId}/FAILED_0.json`)!;
    expect(manifest).toEqual({
      DestinationBucket: 'results',
      MapRunArn: out.MapRunArn,
      ResultFiles: {
        FAILED: [{ Key: `runs/${runId}/FAILED_0.json`, Size: Buffer.byteLength(failedBody) }],
        PENDING: [],
        SUCCEEDED: [{ Key: `runs/${runId}/SUCCEEDED_0.json`, Size: Buffer.byteLength(succeededBody) }],
      },
    });
    const succeeded = JSON.parse(succeededBody) as Record<string, unknown>[];
    expect(succeeded.map((r) => [r.Input, r.Output, r.Status])).toEqual([
      ['{"n":1}', '[1,10]', 'SUCCEEDED'],
      ['{"n":2}', '[2,20]', 'SUCCEEDED'],
    ]);
    expect(Object.keys(succeeded[0])).toEqual([
      'ExecutionArn', 'Input', 'InputDetails', 'Name', 'Output', 'OutputDetails', 'RedriveCount', 'RedriveStatus', 'RedriveStatusReason', 'StartDate', 'StateMachineArn', 'Status', 'StopDate',
    ]);
    expect(succeeded[0].StateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:Orders/Each');
    expect(succeeded[0].ExecutionArn).toBe(`arn:aws:states:us-east-1:123456789012:execution:Orders/Each:${succeeded[0].Name as string}`);
    const failed = JSON.parse(failedBody) as Record<string, unknown>[];
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ Error: 'Odd', Cause: 'three', Input: '{"n":3}', Status: 'FAILED' });
  });

  it('writes JSON Lines when OutputType is JSONL', async () => {
    const runtime = new LocalRuntime({ timeScale: 0, taskRunner: ITEM_FAILS });
    const result = await runtime.startExecution(
      machine({ Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b' }, WriterConfig: { OutputType: 'JSONL', Transformation: 'COMPACT' } }),
      { input: { items: [1, 2] } },
    ).result;
    const key = (result.output as { ResultWriterDetails: { Key: string } }).ResultWriterDetails.Key.replace('manifest.json', 'SUCCEEDED_0.json');
    expect(runtime.resultObjects.get(`s3://b/${key}`)).toBe('[1,10]\n[2,20]');
  });

  it('formats the state output with WriterConfig alone: COMPACT outputs, FLATTEN flattened, a failed child as its record', async () => {
    const run = async (Transformation: string) =>
      (await new LocalRuntime({ timeScale: 0, taskRunner: ITEM_FAILS }).startExecution(machine({ WriterConfig: { Transformation, OutputType: 'JSON' } }), { input: { items: [1, 2, 3] } }).result)
        .output as unknown[];
    const compact = await run('COMPACT');
    expect(compact.slice(0, 2)).toEqual([[1, 10], [2, 20]]);
    expect(compact[2]).toMatchObject({ Error: 'Odd', Status: 'FAILED' });
    const flat = await run('FLATTEN');
    expect(flat.slice(0, 4)).toEqual([1, 10, 2, 20]);
    expect(flat[4]).toMatchObject({ Error: 'Odd', Status: 'FAILED' });
    const none = await run('NONE');
    expect(none[0]).toMatchObject({ Input: '{"n":1}', Output: '[1,10]', Status: 'SUCCEEDED' });
  });
});
