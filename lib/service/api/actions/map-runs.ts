/** The Map Run actions: ListMapRuns, DescribeMapRun, UpdateMapRun (a DISTRIBUTED Map's run and its child executions). */
import { ServiceErrorName } from '../../../engine/service-errors';
import type { CloudDriver } from '../../driver';
import { action } from '../action';
import { Arn, fail, pageSize, seconds } from '../members';
import type * as S from '../shapes/map-runs';

/** A non-negative number member of UpdateMapRun, or undefined when absent; `max` bounds it (the percentage's 100). */
function limit(value: unknown, member: string, max?: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (max !== undefined && value > max)) {
    fail(ServiceErrorName.ValidationException, `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must have value ${max !== undefined ? `between 0 and ${max}` : 'greater than or equal to 0'}`);
  }
  return value;
}

async function describe(driver: CloudDriver, arn: string): Promise<S.DescribeMapRunOutput> {
  const d = await driver.mapRuns.describeMapRun(arn);
  return {
    mapRunArn: d.mapRunArn,
    executionArn: d.executionArn,
    status: d.status,
    startDate: seconds(d.startDate),
    ...(d.stopDate !== undefined ? { stopDate: seconds(d.stopDate) } : {}),
    maxConcurrency: d.maxConcurrency,
    toleratedFailurePercentage: d.toleratedFailurePercentage,
    toleratedFailureCount: d.toleratedFailureCount,
    // Each iteration is one child execution (an ItemBatcher's batch counts as one item here).
    itemCounts: { ...d.counts },
    executionCounts: { ...d.counts },
    redriveCount: d.redriveCount,
    ...(d.redriveDate !== undefined ? { redriveDate: seconds(d.redriveDate) } : {}),
  };
}

export const mapRunActions = {
  ListMapRuns: action<S.ListMapRunsInput, S.ListMapRunsOutput>({ resources: (r) => [r.arn('executionArn', Arn.execution)] }, async (request, driver) => {
    const page = await driver.mapRuns.listMapRuns(request.arn('executionArn', Arn.execution), pageSize(request), request.string('nextToken'));
    return {
      mapRuns: page.items.map((m) => ({ ...m, startDate: seconds(m.startDate), ...(m.stopDate !== undefined ? { stopDate: seconds(m.stopDate) } : {}) })),
      ...(page.nextToken !== undefined ? { nextToken: page.nextToken } : {}),
    };
  }),

  DescribeMapRun: action<S.DescribeMapRunInput, S.DescribeMapRunOutput>({ resources: (r) => [r.arn('mapRunArn', Arn.mapRun)] }, async (request, driver) => describe(driver, request.arn('mapRunArn', Arn.mapRun))),

  UpdateMapRun: action<S.UpdateMapRunInput, S.UpdateMapRunOutput>({ resources: (r) => [r.arn('mapRunArn', Arn.mapRun)] }, async (request, driver) => {
    const arn = request.arn('mapRunArn', Arn.mapRun);
    const maxConcurrency = limit(request.raw('maxConcurrency'), 'maxConcurrency');
    const toleratedFailurePercentage = limit(request.raw('toleratedFailurePercentage'), 'toleratedFailurePercentage', 100);
    const toleratedFailureCount = limit(request.raw('toleratedFailureCount'), 'toleratedFailureCount');
    if (maxConcurrency === undefined && toleratedFailurePercentage === undefined && toleratedFailureCount === undefined) {
      fail(ServiceErrorName.ValidationException, 'At least one of the parameters maxConcurrency, toleratedFailurePercentage, toleratedFailureCount must be specified');
    }
    await driver.mapRuns.updateMapRun(arn, {
      ...(maxConcurrency !== undefined ? { maxConcurrency } : {}),
      ...(toleratedFailurePercentage !== undefined ? { toleratedFailurePercentage } : {}),
      ...(toleratedFailureCount !== undefined ? { toleratedFailureCount } : {}),
    });
    return {};
  }),
};
