/** State machines, versions, aliases and tags, and how long StartExecution trusts a state machine it read. */
import { ServiceError } from '../../lib/engine/service-errors';
import { MemoryStore } from '../../lib/service/memory';
import { Registry, splitStateMachineArn } from '../../lib/service/registry';

const PASS = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:m';

function setup() {
  let clock = 1_000;
  const store = new MemoryStore();
  const registry = new Registry({ store, now: () => clock, region: 'us-east-1', account: '123456789012' });
  return { store, registry, advance: (ms: number) => (clock += ms) };
}

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof ServiceError)) throw new Error(`expected a ServiceError, got ${String(err)}`);
  return { name: err.name, message: err.message };
}

describe('splitStateMachineArn', () => {
  it('splits a qualified ARN into the state machine and its qualifier', () => {
    expect(splitStateMachineArn(`${ARN}:prod`)).toEqual({ base: ARN, qualifier: 'prod' });
    expect(splitStateMachineArn(ARN)).toEqual({ base: ARN });
  });
});

describe('Registry', () => {
  it('resolves a version ARN to the revision it published', async () => {
    const { registry } = setup();
    const first = await registry.putStateMachine('m', PASS);
    const v1 = await registry.publishVersion(ARN);
    await registry.updateStateMachine(ARN, { definition: JSON.stringify({ StartAt: 'Q', States: { Q: { Type: 'Succeed' } } }) });
    const target = await registry.resolveTarget(v1.arn);
    expect([v1.arn, target.revisionId, target.versionArn]).toEqual([`${ARN}:1`, first.revisionId, `${ARN}:1`]);
  });

  it('rejects a version that does not exist and an alias that does not exist', async () => {
    const { registry } = setup();
    await registry.putStateMachine('m', PASS);
    expect(await failure(registry.resolveTarget(`${ARN}:7`))).toEqual({ name: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${ARN}:7'` });
    expect(await failure(registry.resolveTarget(`${ARN}:prod`))).toEqual({ name: 'ResourceNotFound', message: `Resource not found: '${ARN}:prod'` });
  });

  it('routes an alias to its one version and refuses to delete a version it routes to', async () => {
    const { registry } = setup();
    await registry.putStateMachine('m', PASS);
    const v1 = await registry.publishVersion(ARN);
    await registry.putAlias(`${ARN}:prod`, [{ versionArn: v1.arn, weight: 100 }], undefined, true);
    const target = await registry.resolveTarget(`${ARN}:prod`);
    expect([target.versionArn, target.aliasArn]).toEqual([v1.arn, `${ARN}:prod`]);
    expect(await failure(registry.deleteVersion(v1.arn))).toEqual({
      name: 'ConflictException',
      message: `Version ${v1.arn} is referenced by an alias; update or delete the alias first`,
    });
  });

  it('trusts a state machine it read for five seconds, and sees its own changes at once', async () => {
    const { store, registry, advance } = setup();
    const first = await registry.putStateMachine('m', PASS);
    expect((await registry.recentStateMachine(ARN)).revisionId).toBe(first.revisionId);
    // Another container changes it: this one keeps its copy for a while.
    await store.putStateMachine({ ...first, revisionId: 'elsewhere' });
    advance(4_999);
    expect((await registry.recentStateMachine(ARN)).revisionId).toBe(first.revisionId);
    advance(1);
    expect((await registry.recentStateMachine(ARN)).revisionId).toBe('elsewhere');
    const updated = await registry.updateStateMachine(ARN, { roleArn: 'arn:aws:iam::123456789012:role/other' });
    expect((await registry.recentStateMachine(ARN)).revisionId).toBe(updated.revisionId);
  });

  it('tags state machines and activities alike, at most 50 tags', async () => {
    const { store, registry } = setup();
    await registry.putStateMachine('m', PASS);
    const activityArn = 'arn:aws:states:us-east-1:123456789012:activity:a';
    await store.putActivity({ activityArn, name: 'a', creationDate: 0 });
    await registry.tagResource(ARN, { team: 'x', env: 'dev' });
    await registry.untagResource(ARN, ['env']);
    await registry.tagResource(activityArn, { team: 'y' });
    expect([await registry.listTags(ARN), await registry.listTags(activityArn)]).toEqual([{ team: 'x' }, { team: 'y' }]);
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    expect(await failure(registry.tagResource(ARN, many))).toEqual({ name: 'TooManyTags', message: 'Too many tags: a resource has at most 50 tags' });
  });

  it('is idempotent on CreateStateMachine with the same definition and role', async () => {
    const { registry } = setup();
    const role = 'arn:aws:iam::123456789012:role/r';
    const created = await registry.createStateMachine('m', PASS, role);
    expect((await registry.createStateMachine('m', PASS, role)).revisionId).toBe(created.revisionId);
    expect(await failure(registry.createStateMachine('m', PASS, `${role}2`))).toEqual({ name: 'StateMachineAlreadyExists', message: `State Machine Already Exists: '${ARN}'` });
  });
});
