/**
 * Each state machine's own IAM role, as Step Functions gives every state
 * machine one: its tasks run with it (the task invoker assumes it,
 * lib/aws/role-credentials.ts), so a state machine may invoke exactly the
 * functions its definition names — not every function granted to the Yard.
 *
 * The role trusts the roles of the functions that run tasks alone — the
 * task invoker's, and the API function's (TestState runs its task with the
 * role it is given, EXPRESS executions theirs) — and those roles may assume
 * these roles and no other (sts:AssumeRole on each, not `*`).
 */
import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { acknowledge } from './acknowledge';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct, IConstruct } from 'constructs';
import { nagResourceName } from './roles';

/**
 * lambda:InvokeFunction on the functions a definition names — each ARN (a
 * bare name is made an ARN of the stack's account and region) and its
 * versions and aliases (`<arn>:*`, acknowledged to cdk-nag on `acknowledgeOn`);
 * undefined for none.
 */
export function invokeStatement(scope: Construct, functions: readonly string[], acknowledgeOn: IConstruct): iam.PolicyStatement | undefined {
  if (functions.length === 0) return undefined;
  const stack = Stack.of(scope);
  const resources = functions.flatMap((f) => {
    const arn = !Token.isUnresolved(f) && !f.startsWith('arn:') ? stack.formatArn({ service: 'lambda', resource: 'function', resourceName: f, arnFormat: ArnFormat.COLON_RESOURCE_NAME }) : f;
    const qualified = `${arn}:*`;
    acknowledge(acknowledgeOn, `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResourceName(scope, qualified)}]`, 'The versions and aliases of a function a definition names (a Task may invoke a qualified ARN).');
    return [arn, qualified];
  });
  return new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources });
}

/** The state machines' roles of one Yard, and the functions every one of them may invoke (grantTaskInvoke). */
export class TaskRoles {
  private readonly roles: iam.Role[] = [];
  private readonly shared: lambda.IFunction[] = [];

  /** @param assumers the roles of the functions that run tasks: the only principals the roles trust. */
  constructor(private readonly assumers: readonly iam.IRole[]) {}

  /**
   * A role for the state machine `scope`, allowed to invoke `functions` (its
   * definition's) and what `statements` allow (an aws-stepfunctions chain's
   * own grants), and the functions granted to every state machine.
   */
  roleFor(scope: Construct, functions: readonly string[], statements: readonly iam.PolicyStatement[]): iam.Role {
    const [first, ...more] = this.assumers;
    const assumedBy = more.length === 0 ? first! : new iam.CompositePrincipal(first!, ...more);
    const role = new iam.Role(scope, 'Role', { assumedBy, description: `Switchyard: the role the tasks of ${scope.node.path} run with` });
    for (const assumer of this.assumers) role.grantAssumeRole(assumer);
    const invoke = invokeStatement(scope, functions, role);
    if (invoke) role.addToPrincipalPolicy(invoke);
    for (const statement of statements) role.addToPrincipalPolicy(statement);
    for (const fn of this.shared) this.allow(role, fn);
    this.roles.push(role);
    return role;
  }

  /** Lets every state machine's role, made or to be made, invoke `fn`. */
  grantInvoke(fn: lambda.IFunction): void {
    this.shared.push(fn);
    for (const role of this.roles) this.allow(role, fn);
  }

  private allow(role: iam.Role, fn: lambda.IFunction): void {
    const statement = invokeStatement(role, [fn.functionArn], role);
    if (statement) role.addToPrincipalPolicy(statement);
  }
}
