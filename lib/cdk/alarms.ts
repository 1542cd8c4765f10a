import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

/**
 * An alarm on any occurrence in one period: a failed execution, a dead letter, a function error or throttle;
 * `action` (the Switchyard's alarmAction) is told when it fires.
 */
export function alarmOnAny(scope: Construct, id: string, metric: cloudwatch.IMetric, description: string, action?: cloudwatch.IAlarmAction): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: description,
  });
  if (action) alarm.addAlarmAction(action);
  return alarm;
}
