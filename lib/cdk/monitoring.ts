/**
 * What tells a Switchyard's operators something is wrong: alarms on failed
 * executions, the dead-letter queues, function errors and throttles (each
 * with the construct's alarm action), and an optional dashboard.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { alarmOnAny } from './alarms';
import type { Switchyard } from './switchyard';

/** Adds the alarms (to `yard.alarms`) and, `withDashboard`, the dashboard. */
export function monitor(yard: Switchyard, withDashboard: boolean): void {
  const alarm = (id: string, metric: cloudwatch.IMetric, description: string): void => {
    yard.alarms.push(alarmOnAny(yard, id, metric, description, yard.alarmAction));
  };
  // Every state machine's metric, found by SEARCH: one expression whatever state machines exist.
  const search = (metric: string, aggregate = (e: string) => e): cloudwatch.MathExpression =>
    new cloudwatch.MathExpression({
      expression: aggregate(`SEARCH('{${yard.metricsNamespace},StateMachineArn} MetricName="${metric}"', 'Sum', 300)`),
      usingMetrics: {},
      label: metric,
      period: Duration.minutes(5),
    });
  alarm('FailedExecutionsAlarm', search('ExecutionsFailed', (e) => `SUM(${e})`), 'Executions failed in the last 5 minutes');
  alarm('DeadLetterAlarm', yard.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }), 'Transition messages reached the dead-letter queue: each is a transition that could not be processed (its reason is in the transition function log)');
  alarm('InvokerDeadLetterAlarm', yard.invokerDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }), 'Task requests reached the invoker dead-letter queue: each is a task attempt the invoker could not handle (its reason is in the invoker function log)');
  alarm('ExpressDeadLetterAlarm', yard.expressDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }), 'Asynchronous Express starts reached the Express dead-letter queue: each is an execution whose three invocations failed or that waited longer than its maximum event age (the error is in the message and the express function log)');
  for (const [name, f] of [['Transition', yard.transitionFunction], ['Invoker', yard.invokerFunction], ['Api', yard.apiFunction], ['Express', yard.expressFunction], ['Schedule', yard.scheduleFunction]] as const) {
    alarm(`${name}ErrorsAlarm`, f.metricErrors({ period: Duration.minutes(5) }), `The ${name.toLowerCase()} function failed`);
    alarm(`${name}ThrottlesAlarm`, f.metricThrottles({ period: Duration.minutes(5) }), `The ${name.toLowerCase()} function was throttled`);
  }
  if (!withDashboard) return;
  new cloudwatch.Dashboard(yard, 'Dashboard', {
    widgets: [
      [
        new cloudwatch.GraphWidget({ title: 'Executions', left: ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'].map((m) => search(m)), width: 12 }),
        new cloudwatch.GraphWidget({
          title: 'State transitions',
          left: [new cloudwatch.Metric({ namespace: yard.metricsNamespace, metricName: 'StateTransitions', dimensionsMap: { service: 'switchyard-transition' }, statistic: 'Sum', period: Duration.minutes(5) })],
          width: 12,
        }),
      ],
      [
        new cloudwatch.GraphWidget({
          title: 'Queues',
          left: [yard.queue.metricApproximateNumberOfMessagesVisible(), yard.queue.metricApproximateAgeOfOldestMessage(), yard.invokerQueue.metricApproximateNumberOfMessagesVisible(), yard.invokerQueue.metricApproximateAgeOfOldestMessage()],
          right: [yard.deadLetterQueue.metricApproximateNumberOfMessagesVisible(), yard.invokerDeadLetterQueue.metricApproximateNumberOfMessagesVisible(), yard.expressDeadLetterQueue.metricApproximateNumberOfMessagesVisible()],
          width: 12,
        }),
        new cloudwatch.GraphWidget({
          title: 'Functions',
          left: [yard.transitionFunction.metricErrors(), yard.invokerFunction.metricErrors(), yard.apiFunction.metricErrors(), yard.expressFunction.metricErrors(), yard.transitionFunction.metricThrottles(), yard.invokerFunction.metricThrottles(), yard.expressFunction.metricThrottles()],
          right: [yard.transitionFunction.metricDuration(), yard.invokerFunction.metricDuration(), yard.expressFunction.metricDuration()],
          width: 12,
        }),
      ],
      [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: yard.alarms, width: 24 })],
    ],
  });
}
