/** The version and alias actions: publish, list and delete versions; create, update, describe, list and delete aliases. */
import { ServiceErrorName } from '../../../engine/service-errors';
import { splitStateMachineArn } from '../../driver';
import { action } from '../action';
import { Arn, checkedName, fail, paginate, seconds, type RequestMembers } from '../members';
import type * as S from '../shapes/versions-and-aliases';

/** An alias's routingConfiguration: one or two `{stateMachineVersionArn, weight}`. */
function routingOf(value: unknown, required: boolean): { versionArn: string; weight: number }[] | undefined {
  if (value === undefined || value === null) {
    if (required) fail(ServiceErrorName.ValidationException, "1 validation error detected: Value null at 'routingConfiguration' failed to satisfy constraint: Member must not be null");
    return undefined;
  }
  if (!Array.isArray(value)) fail(ServiceErrorName.ValidationException, 'routingConfiguration must be a list');
  return (value as { stateMachineVersionArn?: unknown; weight?: unknown }[]).map((r) => {
    if (typeof r?.stateMachineVersionArn !== 'string' || typeof r.weight !== 'number') fail(ServiceErrorName.ValidationException, 'Each route needs a stateMachineVersionArn and a weight');
    return { versionArn: r.stateMachineVersionArn, weight: r.weight };
  });
}

/** CreateStateMachineAlias's alias ARN: its name (checked) on the state machine of its first route. */
function aliasArnOf(request: RequestMembers<S.CreateStateMachineAliasInput>): string {
  const routing = routingOf(request.raw('routingConfiguration'), true)!;
  const name = request.required('name');
  // An alias's name is a resource name that is not all digits (that would read as a version).
  if (/^\d+$/.test(name)) fail(ServiceErrorName.InvalidName, `Invalid Name: '${name}'`);
  checkedName(name);
  return `${splitStateMachineArn(routing[0].versionArn).base}:${name}`;
}

export const versionAndAliasActions = {
  PublishStateMachineVersion: action<S.PublishStateMachineVersionInput, S.PublishStateMachineVersionOutput>({ resources: (r) => [r.arn('stateMachineArn', Arn.stateMachine)] }, async (request, driver) => {
    const arn = request.arn('stateMachineArn', Arn.stateMachine);
    const v = await driver.publishVersion(arn, request.string('description'), request.string('revisionId'));
    return { creationDate: seconds(v.creationDate), stateMachineVersionArn: v.arn };
  }),

  ListStateMachineVersions: action<S.ListStateMachineVersionsInput, S.ListStateMachineVersionsOutput>({ resources: (r) => [r.arn('stateMachineArn', Arn.stateMachine)] }, async (request, driver) => {
    const arn = request.arn('stateMachineArn', Arn.stateMachine);
    const sm = await driver.describeStateMachine(arn);
    const versions = [...(sm.versions ?? [])].reverse();
    const { page, nextToken } = paginate(versions, request, 'v1');
    return { stateMachineVersions: page.map((v) => ({ stateMachineVersionArn: `${arn}:${v.number}`, creationDate: seconds(v.creationDate) })), ...(nextToken ? { nextToken } : {}) };
  }),

  DeleteStateMachineVersion: action<S.DeleteStateMachineVersionInput, S.DeleteStateMachineVersionOutput>({ resources: (r) => [r.arn('stateMachineVersionArn', Arn.stateMachineVersion)] }, async (request, driver) => {
    await driver.deleteVersion(request.arn('stateMachineVersionArn', Arn.stateMachineVersion));
    return {};
  }),

  CreateStateMachineAlias: action<S.CreateStateMachineAliasInput, S.CreateStateMachineAliasOutput>({ resources: (r) => [aliasArnOf(r)] }, async (request, driver) => {
    const routing = routingOf(request.raw('routingConfiguration'), true)!;
    const aliasArn = aliasArnOf(request);
    const alias = await driver.putAlias(aliasArn, routing, request.string('description'), true);
    return { stateMachineAliasArn: aliasArn, creationDate: seconds(alias.creationDate) };
  }),

  UpdateStateMachineAlias: action<S.UpdateStateMachineAliasInput, S.UpdateStateMachineAliasOutput>({ resources: (r) => [r.required('stateMachineAliasArn')] }, async (request, driver) => {
    const routing = routingOf(request.raw('routingConfiguration'), false);
    const aliasArn = request.required('stateMachineAliasArn');
    const current = await driver.describeAlias(aliasArn);
    const alias = await driver.putAlias(
      aliasArn,
      routing ?? current.routing.map((r) => ({ versionArn: `${splitStateMachineArn(aliasArn).base}:${r.version}`, weight: r.weight })),
      request.string('description'),
      false,
    );
    return { updateDate: seconds(alias.updateDate) };
  }),

  DescribeStateMachineAlias: action<S.DescribeStateMachineAliasInput, S.DescribeStateMachineAliasOutput>({ resources: (r) => [r.required('stateMachineAliasArn')] }, async (request, driver) => {
    const arn = request.required('stateMachineAliasArn');
    const a = await driver.describeAlias(arn);
    const base = splitStateMachineArn(arn).base;
    return {
      stateMachineAliasArn: arn,
      name: a.name,
      ...(a.description !== undefined ? { description: a.description } : {}),
      routingConfiguration: a.routing.map((r) => ({ stateMachineVersionArn: `${base}:${r.version}`, weight: r.weight })),
      creationDate: seconds(a.creationDate),
      updateDate: seconds(a.updateDate),
    };
  }),

  DeleteStateMachineAlias: action<S.DeleteStateMachineAliasInput, S.DeleteStateMachineAliasOutput>({ resources: (r) => [r.required('stateMachineAliasArn')] }, async (request, driver) => {
    await driver.deleteAlias(request.required('stateMachineAliasArn'));
    return {};
  }),

  ListStateMachineAliases: action<S.ListStateMachineAliasesInput, S.ListStateMachineAliasesOutput>({ resources: (r) => [r.arn('stateMachineArn', Arn.stateMachine)] }, async (request, driver) => {
    const arn = request.arn('stateMachineArn', Arn.stateMachine);
    const sm = await driver.describeStateMachine(arn);
    const { page, nextToken } = paginate(sm.aliases ?? [], request, 'l1');
    return { stateMachineAliases: page.map((a) => ({ stateMachineAliasArn: `${arn}:${a.name}`, creationDate: seconds(a.creationDate) })), ...(nextToken ? { nextToken } : {}) };
  }),
};
