/** The execution actions: start (asynchronously or synchronously), describe, list, read history, redrive and stop. */
import type { JsonValue } from '../../../asl/json';
import type { HistoryEvent as RecordedEvent } from '../../../engine/history';
import { detailsKeyOf } from '../../../engine/history-events';
import { ServiceErrorName } from '../../../engine/service-errors';
import { splitStateMachineArn, type CloudDriver } from '../../driver';
import type { ExecutionRecord, ExecutionStatus } from '../../ports';
import { action } from '../action';
import { checkAwsLength } from '../aws-limits';
import { metadataOnly } from '../encryption';
import { Arn, checkedName, fail, pageSize, parseJsonMember, seconds, type RequestMembers } from '../members';
import type * as S from '../shapes/executions';

/** A history event as the API sends it; without execution data, the details lose their input, output and parameters. */
function historyEventOut(e: RecordedEvent, includeData: boolean): S.HistoryEvent {
  const out: S.HistoryEvent = { ...e, timestamp: seconds(e.timestamp) };
  const key = detailsKeyOf(e.type);
  const details = key !== undefined ? e[key] : undefined;
  if (!includeData && key !== undefined && details !== undefined) {
    const d: Record<string, unknown> = { ...details };
    for (const field of ['input', 'output', 'parameters']) if (field in d) delete d[field];
    out[key] = d;
  }
  return out;
}

/** StartExecution's and StartSyncExecution's optional name and input, checked. */
function startOptions(request: RequestMembers<S.StartExecutionInput>, driver: CloudDriver): { name?: string; input?: JsonValue } {
  const name = request.string('name');
  if (name !== undefined) checkedName(name);
  checkAwsLength(driver, 'input', request.string('input'));
  const input = parseJsonMember(request.string('input'), ServiceErrorName.InvalidExecutionInput, 'execution input');
  return { ...(name !== undefined ? { name } : {}), ...(input !== undefined ? { input } : {}) };
}

/**
 * The members DescribeExecution and StartSyncExecution share: names, start,
 * input, and output or error and cause. With `metadata` (includedData
 * METADATA_ONLY) the input and output are left out, their details saying so.
 */
function executionMembers(r: ExecutionRecord, metadata = false): S.ExecutionMembers {
  const succeeded = r.status === 'SUCCEEDED';
  const data = (value: JsonValue | undefined) => (metadata ? {} : { text: JSON.stringify(value ?? null) });
  const input = data(r.info.input);
  const output = data(r.output);
  return {
    executionArn: r.info.executionArn,
    stateMachineArn: r.info.stateMachineArn,
    name: r.info.name,
    startDate: seconds(r.info.startTime),
    ...(input.text !== undefined ? { input: input.text } : {}),
    inputDetails: { included: !metadata },
    ...(succeeded ? { ...(output.text !== undefined ? { output: output.text } : {}), outputDetails: { included: !metadata } } : {}),
    ...(r.error !== undefined && !succeeded ? { error: r.error } : {}),
    ...(r.cause !== undefined && !succeeded ? { cause: r.cause } : {}),
  };
}

/** DescribeExecution's redriveStatus and, when it cannot be redriven, the reason. */
async function redriveStatus(driver: CloudDriver, r: ExecutionRecord): Promise<Pick<S.DescribeExecutionOutput, 'redriveStatus' | 'redriveStatusReason'>> {
  const reason = await driver.notRedrivable(r);
  return reason === undefined ? { redriveStatus: 'REDRIVABLE' } : { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: reason };
}

const STATUSES: readonly string[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

export const executionActions = {
  StartExecution: action<S.StartExecutionInput, S.StartExecutionOutput>({ resources: (r) => [r.arn('stateMachineArn', Arn.qualifiedStateMachine)] }, async (request, driver) => {
    const arn = request.arn('stateMachineArn', Arn.qualifiedStateMachine);
    const started = await driver.startExecution(arn, startOptions(request, driver));
    return { executionArn: started.executionArn, startDate: seconds(started.startDate) };
  }),

  StartSyncExecution: action<S.StartSyncExecutionInput, S.StartSyncExecutionOutput>({ resources: (r) => [r.arn('stateMachineArn', Arn.stateMachine)] }, async (request, driver) => {
    const arn = request.arn('stateMachineArn', Arn.stateMachine);
    const metadata = metadataOnly(request.raw('includedData'));
    const r = await driver.startSyncExecution(arn, startOptions(request, driver));
    const stop = r.stopDate ?? r.info.startTime;
    return {
      ...executionMembers(r, metadata),
      stopDate: seconds(stop),
      status: r.status === 'RUNNING' ? 'TIMED_OUT' : r.status,
      billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil((stop - r.info.startTime) / 100) * 100) },
    };
  }),

  DescribeExecution: action<S.DescribeExecutionInput, S.DescribeExecutionOutput>({ resources: (r) => [r.arn('executionArn', Arn.execution)] }, async (request, driver) => {
    const r = await driver.describeExecution(request.arn('executionArn', Arn.execution));
    return {
      ...executionMembers(r, metadataOnly(request.raw('includedData'))),
      status: r.status,
      ...(r.stopDate !== undefined && r.status !== 'RUNNING' ? { stopDate: seconds(r.stopDate) } : {}),
      redriveCount: r.info.redriveCount,
      ...(r.redriveDate !== undefined ? { redriveDate: seconds(r.redriveDate) } : {}),
      ...(await redriveStatus(driver, r)),
      ...(r.versionArn ? { stateMachineVersionArn: r.versionArn } : {}),
      ...(r.aliasArn ? { stateMachineAliasArn: r.aliasArn } : {}),
      ...(r.mapRunArn ? { mapRunArn: r.mapRunArn } : {}),
    };
  }),

  GetExecutionHistory: action<S.GetExecutionHistoryInput, S.GetExecutionHistoryOutput>({ resources: (r) => [r.arn('executionArn', Arn.execution)] }, async (request, driver) => {
    const arn = request.arn('executionArn', Arn.execution);
    const nextToken = request.string('nextToken');
    const page = await driver.getExecutionHistoryPage(arn, pageSize(request), { reverse: request.raw('reverseOrder') === true, ...(nextToken !== undefined ? { nextToken } : {}) });
    const includeData = request.raw('includeExecutionData') !== false;
    return { events: page.events.map((e) => historyEventOut(e, includeData)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }),

  ListExecutions: action<S.ListExecutionsInput, S.ListExecutionsOutput>({ resources: (r) => [r.string('mapRunArn') !== undefined ? r.arn('mapRunArn', Arn.mapRun) : r.arn('stateMachineArn', Arn.qualifiedStateMachine)] }, async (request, driver) => {
    const status = request.string('statusFilter');
    if (status !== undefined && !STATUSES.includes(status)) {
      fail(ServiceErrorName.ValidationException, `1 validation error detected: Value '${status}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]`);
    }
    const redrive = request.string('redriveFilter');
    if (redrive !== undefined && redrive !== 'REDRIVEN' && redrive !== 'NOT_REDRIVEN') {
      fail(ServiceErrorName.ValidationException, `1 validation error detected: Value '${redrive}' at 'redriveFilter' failed to satisfy constraint: Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]`);
    }
    const mapRunArn = request.string('mapRunArn');
    if (mapRunArn !== undefined) {
      if (request.string('stateMachineArn') !== undefined) fail(ServiceErrorName.ValidationException, 'Only one of stateMachineArn or mapRunArn can be specified');
      // "For a Distributed Map, redriveFilter sets a filter to list child workflow executions based on whether or not they have been redriven."
      const query = { limit: pageSize(request), ...(status !== undefined ? { status: status as ExecutionStatus } : {}), ...(redrive !== undefined ? { redriven: redrive === 'REDRIVEN' } : {}) };
      const page = await driver.mapRuns.listChildren(request.arn('mapRunArn', Arn.mapRun), query, request.string('nextToken'));
      return {
        executions: page.items.map((c) => ({
          executionArn: c.executionArn,
          stateMachineArn: c.stateMachineArn,
          name: c.name,
          status: c.status,
          startDate: seconds(c.startDate),
          ...(c.stopDate !== undefined ? { stopDate: seconds(c.stopDate) } : {}),
          mapRunArn,
          redriveCount: c.redriveCount,
          ...(c.redriveDate !== undefined ? { redriveDate: seconds(c.redriveDate) } : {}),
        })),
        ...(page.nextToken !== undefined ? { nextToken: page.nextToken } : {}),
      };
    }
    // A version or alias ARN lists the executions started through it.
    const arn = request.arn('stateMachineArn', Arn.qualifiedStateMachine);
    const { base, qualifier } = splitStateMachineArn(arn);
    const nextToken = request.string('nextToken');
    const page = await driver.listExecutions(
      base,
      {
        limit: pageSize(request),
        ...(status !== undefined ? { status: status as ExecutionStatus } : {}),
        ...(redrive !== undefined ? { redriven: redrive === 'REDRIVEN' } : {}),
        ...(qualifier !== undefined ? { startedThrough: arn } : {}),
      },
      nextToken,
    );
    return {
      executions: page.executions.map((r) => ({
        executionArn: r.info.executionArn,
        stateMachineArn: r.info.stateMachineArn,
        name: r.info.name,
        status: r.status,
        startDate: seconds(r.info.startTime),
        ...(r.stopDate !== undefined && r.status !== 'RUNNING' ? { stopDate: seconds(r.stopDate) } : {}),
        ...(r.versionArn ? { stateMachineVersionArn: r.versionArn } : {}),
        ...(r.aliasArn ? { stateMachineAliasArn: r.aliasArn } : {}),
        redriveCount: r.info.redriveCount,
        ...(r.redriveDate !== undefined ? { redriveDate: seconds(r.redriveDate) } : {}),
      })),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }),

  RedriveExecution: action<S.RedriveExecutionInput, S.RedriveExecutionOutput>({ resources: (r) => [r.arn('executionArn', Arn.execution)] }, async (request, driver) => {
    const { redriveDate } = await driver.redriveExecution(request.arn('executionArn', Arn.execution));
    return { redriveDate: seconds(redriveDate) };
  }),

  StopExecution: action<S.StopExecutionInput, S.StopExecutionOutput>({ resources: (r) => [r.arn('executionArn', Arn.execution)] }, async (request, driver) => {
    const arn = request.arn('executionArn', Arn.execution);
    const stopped = await driver.stopExecution(arn, request.string('error'), request.string('cause'));
    return { stopDate: seconds(stopped.stopDate) };
  }),
};
