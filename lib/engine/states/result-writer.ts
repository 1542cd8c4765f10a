/**
 * A DISTRIBUTED Map's ResultWriter (developer guide, "ResultWriter (Map)"):
 * the child executions' records, transformed (NONE: the records; COMPACT:
 * the outputs; FLATTEN: the outputs with arrays flattened — a failed child
 * is always its record), then either the state's result or, exported with
 * `arn:aws:states:::s3:putObject`, objects under
 * `<Prefix>/<map run id>/`: `SUCCEEDED_0.json`, `FAILED_0.json` and
 * `manifest.json`, the state's result being `{MapRunArn, ResultWriterDetails}`.
 */
import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from '../../asl/json';
import type { CompiledMap, ResultWriterConfig } from '../../asl/model';
import type { ChildDetail } from '../messages';
import type { Transition } from '../transition';

/** A UUID-shaped id derived from `seed`, so a replayed transition names the same things. */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** `arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:UUID`, one per run of the Map state. */
export function mapRunArn(t: Pick<Transition, 'execution' | 'frame'>, state: Pick<CompiledMap, 'label' | 'name'>, run: number): string {
  const [, partition, , region, account] = t.execution.executionArn.split(':');
  const id = stableUuid(`${t.execution.executionArn}|${t.frame.id}|${t.frame.entry}|${run}`);
  return `arn:${partition}:states:${region}:${account}:mapRun:${t.execution.stateMachineName}/${state.label ?? state.name}:${id}`;
}

/** A child execution's ARN: `arn:aws:states:REGION:ACCOUNT:execution:MACHINE/LABEL:UUID`, the UUID derived from its Map Run and index. */
export function childExecutionArn(t: Transition, state: CompiledMap, runArn: string, index: number): string {
  const [, partition, , region, account] = t.execution.executionArn.split(':');
  return `arn:${partition}:states:${region}:${account}:execution:${t.execution.stateMachineName}/${state.label ?? state.name}:${stableUuid(`${runArn}|${index}`)}`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Each child execution's record, as the exported files hold them (members in the service's alphabetical order). */
export function childRecords(
  t: Transition,
  state: CompiledMap,
  runArn: string,
  inputs: readonly JsonValue[],
  outputs: readonly JsonValue[],
  details: readonly ChildDetail[],
): JsonObject[] {
  const [, partition, , region, account] = t.execution.executionArn.split(':');
  const childMachine = `arn:${partition}:states:${region}:${account}:stateMachine:${t.execution.stateMachineName}/${state.label ?? state.name}`;
  return outputs.map((output, i) => {
    const d = details[i] ?? { status: 'SUCCEEDED', startDate: t.now, stopDate: t.now };
    const executionArn = childExecutionArn(t, state, runArn, i);
    const name = executionArn.slice(executionArn.lastIndexOf(':') + 1);
    const failed = d.status !== 'SUCCEEDED';
    const failure = (failed ? output : {}) as { Error?: JsonValue; Cause?: JsonValue };
    return {
      ...(failed && failure.Cause !== null && failure.Cause !== undefined ? { Cause: failure.Cause } : {}),
      ...(failed && failure.Error !== null && failure.Error !== undefined ? { Error: failure.Error } : {}),
      ExecutionArn: executionArn,
      Input: JSON.stringify(inputs[i] ?? null),
      InputDetails: { Included: true },
      Name: name,
      ...(failed ? {} : { Output: JSON.stringify(output), OutputDetails: { Included: true } }),
      RedriveCount: d.redriveCount ?? 0,
      RedriveStatus: 'NOT_REDRIVABLE',
      RedriveStatusReason: `Execution is ${d.status} and cannot be redriven`,
      StartDate: iso(d.startDate),
      StateMachineArn: childMachine,
      Status: d.status,
      StopDate: iso(d.stopDate),
    };
  });
}

/** The records after the WriterConfig's Transformation; a failed child stays its record. */
export function transform(records: readonly JsonObject[], outputs: readonly JsonValue[], details: readonly ChildDetail[], how: ResultWriterConfig['transformation']): JsonValue[] {
  if (how === 'NONE') return [...records];
  const out: JsonValue[] = [];
  outputs.forEach((output, i) => {
    if ((details[i]?.status ?? 'SUCCEEDED') !== 'SUCCEEDED') out.push(records[i]);
    else if (how === 'FLATTEN' && Array.isArray(output)) out.push(...output);
    else out.push(output);
  });
  return out;
}

/** The objects an export writes, and the key of its manifest. */
export function exportObjects(
  config: ResultWriterConfig,
  runArn: string,
  records: readonly JsonObject[],
  results: readonly JsonValue[],
  details: readonly ChildDetail[],
): { objects: { bucket: string; key: string; body: string }[]; manifestKey: string } {
  const bucket = config.bucket!;
  const runId = runArn.slice(runArn.lastIndexOf(':') + 1);
  const key = (name: string): string => [config.prefix, runId, name].filter((p) => p !== undefined && p !== '').join('/');
  const format = (values: readonly JsonValue[]): string => (config.outputType === 'JSONL' ? values.map((v) => JSON.stringify(v)).join('\n') : JSON.stringify(values));
  // With NONE/COMPACT/FLATTEN applied per child, a child's place in `results` follows its index unless FLATTEN spread it.
  const succeeded: JsonValue[] = [];
  const failed: JsonValue[] = [];
  if (config.transformation === 'FLATTEN') {
    details.forEach((d, i) => (d.status === 'SUCCEEDED' ? undefined : failed.push(records[i])));
    succeeded.push(...results.filter((r) => !failed.includes(r)));
  } else {
    results.forEach((r, i) => ((details[i]?.status ?? 'SUCCEEDED') === 'SUCCEEDED' ? succeeded : failed).push(r));
  }
  const objects: { bucket: string; key: string; body: string }[] = [];
  const files: Record<'FAILED' | 'PENDING' | 'SUCCEEDED', { Key: string; Size: number }[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  for (const [status, values] of [['SUCCEEDED', succeeded], ['FAILED', failed]] as const) {
    if (values.length === 0) continue;
    const body = format(values);
    const k = key(`${status}_0.json`);
    objects.push({ bucket, key: k, body });
    files[status].push({ Key: k, Size: Buffer.byteLength(body) });
  }
  const manifestKey = key('manifest.json');
  objects.push({ bucket, key: manifestKey, body: JSON.stringify({ DestinationBucket: bucket, MapRunArn: runArn, ResultFiles: files }) });
  return { objects, manifestKey };
}
