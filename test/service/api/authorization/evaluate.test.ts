import { conditionHolds, Decision, evaluatePolicies, parseCallerPolicies, parsePolicyDocument, PolicyError, arnMatches } from '../../../../lib/service/api/authorization';

const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';
const ctx = (entries: Record<string, string[]> = {}) => new Map(Object.entries(entries).map(([k, v]) => [k.toLowerCase(), v]));
const doc = (...Statement: unknown[]) => parsePolicyDocument({ Version: '2012-10-17', Statement });
const decide = (policy: ReturnType<typeof doc>, action: string, resource: string, context = ctx()) => evaluatePolicies([policy], { action, resource, context });

describe('evaluatePolicies', () => {
  it('allows what an Allow statement covers and implicitly denies everything else', () => {
    const p = doc({ Effect: 'Allow', Action: 'states:StartExecution', Resource: SM });
    expect(decide(p, 'states:StartExecution', SM)).toBe(Decision.Allow);
    expect(decide(p, 'states:StopExecution', SM)).toBe(Decision.ImplicitDeny);
    expect(decide(p, 'states:StartExecution', `${SM}x`)).toBe(Decision.ImplicitDeny);
  });

  it('lets an explicit Deny win over any Allow', () => {
    const p = doc({ Effect: 'Allow', Action: 'states:*', Resource: '*' }, { Effect: 'Deny', Action: 'states:Stop*', Resource: '*' });
    expect(decide(p, 'states:StopExecution', SM)).toBe(Decision.ExplicitDeny);
    expect(decide(p, 'states:StartExecution', SM)).toBe(Decision.Allow);
  });

  it('matches actions case-insensitively with * and ?, and NotAction covers every other action', () => {
    const p = doc({ Effect: 'Allow', Action: ['STATES:sendtask*', 'states:Describe?xecution'], Resource: '*' }, { Effect: 'Allow', NotAction: 'states:*', Resource: '*' });
    expect(decide(p, 'states:SendTaskSuccess', '*')).toBe(Decision.Allow);
    expect(decide(p, 'states:DescribeExecution', '*')).toBe(Decision.Allow);
    expect(decide(p, 'states:StartExecution', '*')).toBe(Decision.ImplicitDeny);
    expect(decide(p, 'sqs:SendMessage', '*')).toBe(Decision.Allow);
  });

  it('matches resources component by component; a * in the resource part spans colons; NotResource covers the rest', () => {
    expect(arnMatches('arn:aws:states:*:*:execution:orders:*', 'arn:aws:states:us-east-1:123456789012:execution:orders:e1')).toBe(true);
    expect(arnMatches('arn:aws:states:*:*:execution:orders:*', 'arn:aws:states:us-east-1:123456789012:execution:orders2:e1')).toBe(false);
    expect(arnMatches('arn:aws:states:*:*:stateMachine:orders*', `${SM}:prod`)).toBe(true);
    expect(arnMatches('arn:aws:states:us-?ast-1:*:stateMachine:orders', SM)).toBe(true);
    expect(arnMatches('arn:aws:states:*:*:stateMachine:*', '*')).toBe(false);
    const p = doc({ Effect: 'Allow', Action: 'states:*', NotResource: SM });
    expect(decide(p, 'states:StartExecution', SM)).toBe(Decision.ImplicitDeny);
    expect(decide(p, 'states:StartExecution', `${SM}:prod`)).toBe(Decision.Allow);
  });
});

describe('conditions', () => {
  it('ANDs operators and keys, ORs the values of one key', () => {
    const block = { StringEquals: { 'aws:ResourceTag/team': ['orders', 'billing'] }, StringLike: { 'states:StateMachineQualifier': ['prod*'] } };
    expect(conditionHolds(block, ctx({ 'aws:resourcetag/team': ['billing'], 'states:statemachinequalifier': ['prod2'] }))).toBe(true);
    expect(conditionHolds(block, ctx({ 'aws:resourcetag/team': ['billing'], 'states:statemachinequalifier': ['dev'] }))).toBe(false);
  });

  it('is false on an absent key, except for negated operators, IfExists and ForAllValues', () => {
    expect(conditionHolds({ StringEquals: { 'aws:ResourceTag/team': ['orders'] } }, ctx())).toBe(false);
    expect(conditionHolds({ StringNotEquals: { 'aws:ResourceTag/team': ['orders'] } }, ctx())).toBe(true);
    expect(conditionHolds({ StringEqualsIfExists: { 'aws:ResourceTag/team': ['orders'] } }, ctx())).toBe(true);
    expect(conditionHolds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, ctx())).toBe(true);
    expect(conditionHolds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } }, ctx())).toBe(false);
  });

  it('checks every request value with ForAllValues and any with ForAnyValue; Null checks presence', () => {
    const keys = ctx({ 'aws:TagKeys': ['team', 'cost'] });
    expect(conditionHolds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, keys)).toBe(false);
    expect(conditionHolds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'cost', 'x'] } }, keys)).toBe(true);
    expect(conditionHolds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['cost'] } }, keys)).toBe(true);
    expect(conditionHolds({ Null: { 'aws:RequestTag/team': ['true'] } }, ctx())).toBe(true);
    expect(conditionHolds({ Null: { 'aws:RequestTag/team': ['false'] } }, ctx())).toBe(false);
  });

  it('compares ARNs with ArnLike and its negation', () => {
    const principal = ctx({ 'aws:PrincipalArn': ['arn:aws:iam::123456789012:user/ops-ada'] });
    expect(conditionHolds({ ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:user/ops-*'] } }, principal)).toBe(true);
    expect(conditionHolds({ ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:user/ops-*'] } }, principal)).toBe(false);
  });
});

describe('parsePolicyDocument', () => {
  it('refuses what it would otherwise misread, listing every problem with where it is', () => {
    let caught: unknown;
    try {
      parsePolicyDocument({ Version: '2012-10-17', Statement: [{ Effect: 'allow', Action: 'states:*', Resource: 'arn:aws:states:*:*:stateMachine:${aws:username}', Principal: '*', Condition: { NumericLessThan: { 'x': 1 } } }] });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PolicyError);
    expect((caught as PolicyError).problems).toEqual([
      'policy.Statement[0].Principal is not supported in an identity-based policy (supported: Sid, Effect, Action, NotAction, Resource, NotResource, Condition)',
      'policy.Statement[0].Effect must be "Allow" or "Deny". Received: "allow"',
      'policy.Statement[0].Resource: policy variables (arn:aws:states:*:*:stateMachine:${aws:username}) are not supported',
      'policy.Statement[0].Condition: the operator NumericLessThan is not supported',
    ]);
  });

  it('reads a caller file of plain documents and {Arn, Policies} entries', () => {
    const file = parseCallerPolicies({ AKIA1: { Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, AKIA2: { Arn: 'arn:aws:iam::123456789012:user/two', Policies: [] } });
    expect(file.entries.map((e) => [e.pattern, e.arn, e.policies.length])).toEqual([
      ['AKIA1', undefined, 1],
      ['AKIA2', 'arn:aws:iam::123456789012:user/two', 0],
    ]);
  });
});
