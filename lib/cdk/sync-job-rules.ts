/**
 * What a state machine whose tasks wait for ECS tasks, Batch jobs or Glue
 * job runs (`.sync`) needs of the deployment, made once per Switchyard and
 * service: an EventBridge rule that sends each ended job's event ("ECS Task
 * State Change" with lastStatus STOPPED, …) to the schedule function as
 * `{"switchyardJobEvent": <event>}`, which completes the waiting task
 * (lambda/schedule.ts). Nothing polls.
 *
 * Step Functions' own policies for `.sync` add `events:PutTargets`,
 * `events:PutRule` and `events:DescribeRule` on its managed rules
 * (StepFunctionsGetEventsForECSTaskRule, …) because it creates them at run
 * time; these rules are part of the stack, so no role holds those actions.
 *
 * The function that hears the event describes the job with the state
 * machine's role, and the functions that stop an execution (transition,
 * api) stop its job with it: so a `.sync` state machine's role also trusts
 * them, they may assume it (and only it), they read the token key (to
 * deliver the job's end to its attempt), and they may delete the wait item.
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SYNC_JOB_EVENTS, type SyncJobService } from '../asl/integrations/sync-jobs';
import type { Switchyard } from './switchyard';

const made = new WeakMap<Switchyard, Set<SyncJobService | 'functions'>>();

/** The rules `services` need (each made once per Switchyard), and the calls the state machine's `role` is then assumed for. */
export function addSyncJobRules(yard: Switchyard, role: iam.Role, services: readonly SyncJobService[]): void {
  if (services.length === 0) return;
  const done = made.get(yard) ?? new Set();
  made.set(yard, done);
  for (const service of services) {
    if (done.has(service)) continue;
    done.add(service);
    const e = SYNC_JOB_EVENTS[service];
    new events.Rule(yard, `SyncJobRule-${service}`, {
      description: `Switchyard: ${e.detailType} events of ended jobs, to the .sync tasks that wait for them`,
      eventPattern: { source: [e.source], detailType: [e.detailType], detail: { [e.statusMember]: [...e.ended] } },
      targets: [new eventTargets.LambdaFunction(yard.scheduleFunction, { event: events.RuleTargetInput.fromObject({ switchyardJobEvent: events.EventField.fromPath('$') }), retryAttempts: 3 })],
    });
  }
  const functions = [yard.scheduleFunction, yard.transitionFunction, yard.apiFunction];
  if (!done.has('functions')) {
    done.add('functions');
    // Waits are taken with a conditional DeleteItem; the schedule function delivers the job's end to its attempt's token.
    for (const fn of functions) {
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:DeleteItem'], resources: [yard.table.tableArn] }));
      fn.addEnvironment('SWITCHYARD_TASK_ROLES', 'assume');
    }
    yard.scheduleFunction.addEnvironment('SWITCHYARD_TOKEN_KEY_SECRET_ARN', yard.tokenKeySecret.secretArn);
    yard.tokenKeySecret.grantRead(yard.scheduleFunction);
  }
  for (const fn of functions) {
    role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], principals: [fn.role!] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [role.roleArn] }));
  }
}
