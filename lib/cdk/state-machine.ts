/**
 * One state machine in a Switchyard: its definition checked at synth,
 * registered by a custom resource at deploy (an update is a new revision;
 * running executions keep theirs), its task functions granted, its
 * schedules and event rules wired to the schedule function, and an alarm on
 * its failed executions. Its tasks run with a role of its own (task-roles.ts),
 * granted the functions and the service actions its definition names
 * (integration-grants.ts).
 */
import { ArnFormat, CustomResource, Duration, Stack, TimeZone, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { isLogLevel, LOG_LEVELS, type LogLevel } from '../asl/log-levels';
import { isValidName } from '../asl/names';
import { DefinitionError, prepareDefinition, type DefinitionSource } from './definition';
import { integrationStatements } from './integration-grants';
import { scheduleExpressionProblem } from './schedule-expression';
import { addSyncJobRules } from './sync-job-rules';
import { syncJobServices } from '../asl/integrations/sync-jobs';
import { alarmOnAny } from './alarms';
import type { Switchyard } from './switchyard';

/** A schedule that starts an execution with a fixed input. */
export interface YardSchedule {
  /** `rate(5 minutes)`, `cron(0 12 * * ? *)` or `at(2026-12-31T23:59:00)` (EventBridge Scheduler's syntax). */
  readonly expression: string;
  /** The execution's input. @default {} */
  readonly input?: Record<string, unknown>;
  /** IANA time zone of cron and at expressions. @default UTC */
  readonly timeZone?: string;
  /** @default true */
  readonly enabled?: boolean;
  readonly description?: string;
}

export interface YardStateMachineProps {
  /**
   * The definition: `DefinitionBody.fromFile(path)`, `fromString(json)`,
   * `fromChainable(chain)` from aws-cdk-lib/aws-stepfunctions, or the
   * definition as an object.
   */
  readonly definition: DefinitionSource;
  /**
   * Values for `${key}` placeholders in the definition's strings (e.g.
   * function ARNs), as Step Functions' DefinitionSubstitutions. Every key
   * must be used and every placeholder must have a value.
   * @default none
   */
  readonly definitionSubstitutions?: Record<string, string>;
  /** The state machine's name: 1–80 characters, Step Functions' rules. @default the construct id */
  readonly stateMachineName?: string;
  /** @default 'STANDARD' */
  readonly stateMachineType?: 'STANDARD' | 'EXPRESS';
  /** Schedules that start executions. @default none */
  readonly schedules?: YardSchedule[];
  /**
   * EventBridge event patterns on the default bus; a matching event starts an
   * execution with the event as its input and the event id as its name.
   * @default none
   */
  readonly eventPatterns?: events.EventPattern[];
  /** Tags of the state machine (ListTagsForResource). @default none */
  readonly tags?: Record<string, string>;
  /** Alarm when an execution of this state machine fails. @default true */
  readonly alarmOnFailure?: boolean;
  /**
   * Execution logs in CloudWatch Logs, as Step Functions' own `logs` option:
   * the history events of the chosen level, in the service's log format, in
   * the given log group (the functions are granted to write it).
   * @default no execution logs
   */
  readonly logs?: YardLogOptions;
  /**
   * How long this state machine's finished executions stay readable; at most
   * the Switchyard's `executionRetention`, which also bounds how long their
   * payloads stay in the bucket.
   * @default the Switchyard's executionRetention
   */
  readonly executionRetention?: Duration;
}

/** Where and what a state machine logs (the shape of aws-stepfunctions' LogOptions). */
export interface YardLogOptions {
  /** The log group the events go to. */
  readonly destination: logs.ILogGroup;
  /** `ALL`, `ERROR` (failures of any state), `FATAL` (the execution's own failure) or `OFF`. @default 'ERROR' */
  readonly level?: LogLevel | `${sfn.LogLevel}`;
  /** Whether inputs, outputs and assigned variables are logged. @default false */
  readonly includeExecutionData?: boolean;
}

/** A state machine registered in a Switchyard. */
export class YardStateMachine extends Construct {
  readonly stateMachineName: string;
  /** The ARN executions are started with (StartExecution). */
  readonly stateMachineArn: string;
  readonly failureAlarm?: cloudwatch.Alarm;
  /** The state machine's own role (its roleArn): its tasks run with it, so it holds exactly what they invoke. */
  readonly role: iam.Role;
  private readonly yard: Switchyard;

  /** Use {@link Switchyard.addStateMachine}. */
  constructor(scope: Construct, id: string, props: YardStateMachineProps & { yard: Switchyard }) {
    super(scope, id);
    const yard = props.yard;
    this.yard = yard;
    const name = props.stateMachineName ?? id;
    const what = `State machine '${name}' (${this.node.path})`;
    if (!Token.isUnresolved(name) && !isValidName(name)) {
      throw new DefinitionError(`${what}: invalid stateMachineName '${name}': use 1-80 characters without whitespace, brackets, wildcards or the characters " # % \\ ^ | ~ \` $ & , ; : /`);
    }
    const type = props.stateMachineType ?? 'STANDARD';
    if (type !== 'STANDARD' && type !== 'EXPRESS') throw new DefinitionError(`${what}: stateMachineType must be 'STANDARD' or 'EXPRESS', got '${type as string}'`);
    const prepared = prepareDefinition(props.definition, props.definitionSubstitutions ?? {}, what);
    this.stateMachineName = name;
    const stack = Stack.of(this);
    this.stateMachineArn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    const integrations = integrationStatements(this, prepared.definition);
    this.role = yard.stateMachineRole(this, prepared.functions, [...prepared.statements, ...integrations.statements], integrations.acknowledge);
    addSyncJobRules(yard, this.role, syncJobServices(prepared.definition));

    const settings: Record<string, unknown> = {};
    if (props.logs) {
      const level = props.logs.level ?? 'ERROR';
      if (!isLogLevel(level)) throw new DefinitionError(`${what}: logs.level must be one of ${LOG_LEVELS.join(', ')}, got '${level}'`);
      settings.Logging = { Level: level, IncludeExecutionData: props.logs.includeExecutionData ?? false, LogGroupArn: props.logs.destination.logGroupArn }; // CloudFormation's log group ARN ends in `:*`, as the API wants
      for (const fn of [yard.transitionFunction, yard.invokerFunction, yard.apiFunction, yard.expressFunction, yard.scheduleFunction]) props.logs.destination.grantWrite(fn);
    }
    if (props.executionRetention) {
      const seconds = props.executionRetention.toSeconds();
      const most = yard.executionRetention.toSeconds();
      if (seconds < 86_400 || seconds > most) {
        throw new DefinitionError(`${what}: executionRetention must be from 1 day to the Switchyard's executionRetention (${most} seconds), got ${seconds} seconds; raise the Switchyard's executionRetention to keep these executions longer`);
      }
      settings.RetentionSeconds = seconds;
    }
    const registration = new CustomResource(this, 'Registration', {
      serviceToken: yard.registerFunction.functionArn,
      resourceType: 'Custom::SwitchyardStateMachine',
      properties: { Name: name, Type: type, Definition: stack.toJsonString(prepared.definition), RoleArn: this.role.roleArn, Tags: props.tags ?? {}, ...settings },
    });
    // The functions must be able to invoke the tasks (assume the role, the role its grants) before the first execution can start.
    registration.node.addDependency(yard.transitionFunction, this.role);

    (props.schedules ?? []).forEach((schedule, i) => {
      const problem = scheduleExpressionProblem(schedule.expression);
      if (problem) throw new DefinitionError(`${what}: schedules[${i}].expression '${schedule.expression}' is invalid: ${problem}`);
      const timeZone = schedule.timeZone === undefined ? undefined : TimeZone.of(schedule.timeZone);
      const s = new scheduler.Schedule(this, `Schedule${i}`, {
        schedule: scheduler.ScheduleExpression.expression(schedule.expression, timeZone),
        // The scheduler's execution id names the execution, so a retried delivery does not start a second one.
        target: new schedulerTargets.LambdaInvoke(yard.scheduleFunction, {
          input: scheduler.ScheduleTargetInput.fromObject({ stateMachineArn: this.stateMachineArn, input: schedule.input ?? {}, name: scheduler.ContextAttribute.executionId }),
          retryAttempts: 3,
          role: yard.schedulerRole,
        }),
        enabled: schedule.enabled ?? true,
        ...(schedule.description ? { description: schedule.description } : {}),
      });
      s.node.addDependency(registration);
    });
    (props.eventPatterns ?? []).forEach((eventPattern, i) => {
      const rule = new events.Rule(this, `EventRule${i}`, {
        eventPattern,
        targets: [
          new eventTargets.LambdaFunction(yard.scheduleFunction, {
            event: events.RuleTargetInput.fromObject({ stateMachineArn: this.stateMachineArn, input: events.EventField.fromPath('$'), name: events.EventField.eventId }),
            retryAttempts: 3,
          }),
        ],
      });
      rule.node.addDependency(registration);
    });

    if (props.alarmOnFailure ?? true) {
      this.failureAlarm = alarmOnAny(this, 'FailedExecutions', yard.metric('ExecutionsFailed', this.stateMachineArn), `An execution of ${name} failed`, yard.alarmAction);
    }
  }

  /** A metric of this state machine under Step Functions' name (ExecutionsStarted, ExecutionsFailed, ExecutionTime, …). */
  metric(name: string, options?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.yard.metric(name, this.stateMachineArn, options);
  }
}
