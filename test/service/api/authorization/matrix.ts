/**
 * The authorization matrix both front doors are tested with: callers ×
 * actions × resources, covering allow, explicit deny, no statement, a
 * wildcard resource and a condition on the state machine (its tag) — and
 * iam:PassRole for the role CreateStateMachine and UpdateStateMachine pass.
 */
import type { CloudDriver } from '../../../../lib/service/driver';

export const ACCOUNT = '123456789012';
export const SM = (name: string) => `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${name}`;
export const ROLE = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const WAIT = JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });

/** Each caller's policy statements, by a short name. */
export const POLICIES: Record<string, unknown[]> = {
  starter: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: SM('orders') }],
  operator: [
    { Effect: 'Allow', Action: 'states:*', Resource: '*' },
    { Effect: 'Deny', Action: 'states:StartExecution', Resource: '*' },
  ],
  stopper: [{ Effect: 'Allow', Action: 'states:StopExecution', Resource: `arn:aws:states:*:${ACCOUNT}:execution:orders:*` }],
  completer: [{ Effect: 'Allow', Action: 'states:SendTaskSuccess', Resource: '*' }],
  team: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: 'arn:aws:states:*:*:stateMachine:*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'orders' } } }],
  nobody: [],
  deployer: [
    { Effect: 'Allow', Action: ['states:CreateStateMachine', 'states:UpdateStateMachine'], Resource: '*' },
    { Effect: 'Allow', Action: 'iam:PassRole', Resource: ROLE('orders-sfn') },
    { Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/team-*` },
    { Effect: 'Deny', Action: 'iam:PassRole', Resource: ROLE('team-admin') },
  ],
  passer: [
    { Effect: 'Allow', Action: 'states:CreateStateMachine', Resource: '*' },
    { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'states.amazonaws.com' } } },
  ],
  lambdaPasser: [
    { Effect: 'Allow', Action: 'states:CreateStateMachine', Resource: '*' },
    { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } },
  ],
};

export type Outcome = 'allow' | 'explicit' | 'implicit';

/** One request of the matrix: an action and the body it sends (built once the fixtures exist). */
export interface Row {
  caller: string;
  action: string;
  body: (fx: Fixtures) => Promise<Record<string, unknown>>;
  resource: (fx: Fixtures) => string;
  outcome: Outcome;
  /** The error an allowed request still gets (a bogus token is InvalidToken once authorized). */
  allowedError?: string;
  /** The IAM action a denial names. @default `states:<action>` */
  denied?: string;
}

export interface Fixtures {
  driver: CloudDriver;
  /** A new running execution of `name` (each stop needs its own). */
  running(name: string): Promise<string>;
}

export async function fixtures(driver: CloudDriver): Promise<Fixtures> {
  await driver.putStateMachine('orders', WAIT);
  await driver.putStateMachine('billing', WAIT);
  await driver.tagResource(SM('orders'), { team: 'orders' });
  let n = 0;
  return { driver, running: async (name) => (await driver.startExecution(SM(name), { name: `run-${++n}` })).executionArn };
}

const start = (name: string) => ({ action: 'StartExecution', body: async () => ({ stateMachineArn: SM(name) }), resource: () => SM(name) });
let lastStopped = '';
const stop = (name: string) => ({
  action: 'StopExecution',
  body: async (fx: Fixtures) => ({ executionArn: (lastStopped = await fx.running(name)) }),
  resource: () => lastStopped,
});
const sendSuccess = { action: 'SendTaskSuccess', body: async () => ({ taskToken: 'not-a-token', output: '{}' }), resource: () => '*' };
let created = 0;
/** CreateStateMachine passing `role`: denied on the state machine, or on the role (iam:PassRole) once the action is allowed. */
const create = (role: string, on: 'machine' | 'role' = 'role') => {
  const name = `made-${++created}`;
  return { action: 'CreateStateMachine', body: async () => ({ name, definition: WAIT, roleArn: ROLE(role) }), resource: () => (on === 'role' ? ROLE(role) : SM(name)), ...(on === 'role' ? { denied: 'iam:PassRole' } : {}) };
};
/** UpdateStateMachine of billing, passing `role` (or none: a new definition only). */
const update = (role: string | undefined) => ({
  action: 'UpdateStateMachine',
  body: async () => (role === undefined ? { stateMachineArn: SM('billing'), definition: WAIT } : { stateMachineArn: SM('billing'), roleArn: ROLE(role) }),
  resource: () => (role === undefined ? SM('billing') : ROLE(role)),
  denied: 'iam:PassRole',
});
const list = { action: 'ListStateMachines', body: async () => ({}), resource: () => SM('*') };

export const MATRIX: Row[] = [
  { caller: 'starter', ...start('orders'), outcome: 'allow' },
  { caller: 'starter', ...start('billing'), outcome: 'implicit' },
  { caller: 'starter', ...stop('orders'), outcome: 'implicit' },
  { caller: 'operator', ...stop('billing'), outcome: 'allow' },
  { caller: 'operator', ...start('orders'), outcome: 'explicit' },
  { caller: 'operator', ...list, outcome: 'allow' },
  { caller: 'stopper', ...stop('orders'), outcome: 'allow' },
  { caller: 'stopper', ...stop('billing'), outcome: 'implicit' },
  { caller: 'completer', ...sendSuccess, outcome: 'allow', allowedError: 'InvalidToken' },
  { caller: 'completer', ...start('orders'), outcome: 'implicit' },
  { caller: 'team', ...start('orders'), outcome: 'allow' },
  { caller: 'team', ...start('billing'), outcome: 'implicit' },
  { caller: 'nobody', ...list, outcome: 'implicit' },
  { caller: 'stranger', ...start('orders'), outcome: 'implicit' },
  { caller: 'deployer', ...create('orders-sfn'), outcome: 'allow' },
  { caller: 'deployer', ...create('team-reports'), outcome: 'allow' },
  { caller: 'deployer', ...create('team-admin'), outcome: 'explicit' },
  { caller: 'deployer', ...create('other'), outcome: 'implicit' },
  { caller: 'deployer', ...update('orders-sfn'), outcome: 'allow' },
  { caller: 'deployer', ...update('other'), outcome: 'implicit' },
  { caller: 'deployer', ...update(undefined), outcome: 'allow' },
  { caller: 'passer', ...create('any'), outcome: 'allow' },
  { caller: 'lambdaPasser', ...create('any'), outcome: 'implicit' },
  { caller: 'starter', ...create('orders-sfn', 'machine'), outcome: 'implicit' },
];

/** What a request of the matrix answered: 200, or the error's `__type` and message. */
export interface Answer {
  status: number;
  type?: string;
  message?: string;
}

/** The answer `row` must get, for the caller whose principal ARN is `arn`. */
export function expectedAnswer(row: Row, arn: string, resource: string): Answer {
  const action = row.denied ?? `states:${row.action}`;
  const on = resource === '*' ? '' : ` on resource: ${resource}`;
  // iam:PassRole too is refused in IAM's standard words: searched (December 2026), AWS's PassRole denials read "User: …
  // is not authorized to perform: iam:PassRole on resource: … because no identity-based policy allows the iam:PassRole
  // action" (serverless-operations/serverless-step-functions#606, #189); no other wording for CreateStateMachine was found.
  if (row.outcome === 'explicit') return { status: 400, type: 'AccessDeniedException', message: `User: ${arn} is not authorized to perform: ${action}${on} with an explicit deny in an identity-based policy` };
  if (row.outcome === 'implicit') return { status: 400, type: 'AccessDeniedException', message: `User: ${arn} is not authorized to perform: ${action}${on} because no identity-based policy allows the ${action} action` };
  return row.allowedError ? { status: 400, type: row.allowedError } : { status: 200 };
}
