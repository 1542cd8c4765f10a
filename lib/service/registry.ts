/**
 * The registry: state machines and their definition revisions, versions,
 * aliases and tags (of state machines and activities), and the recently
 * read state machines StartExecution trusts for a few seconds.
 */
import { randomUUID } from 'node:crypto';
import { compileStateMachine, parseDefinitionText } from '../asl/compile';
import { ServiceError, ServiceErrorName } from '../engine/service-errors';
import { checkExpressDefinition } from './express-definition';
import type { ActivityRecord, EncryptionConfiguration, ExecutionStore, LoggingConfiguration, StateMachineAlias, StateMachineRecord, StateMachineVersion } from './ports';

/** Logging as the service describes a state machine that has none. */
export const OFF: LoggingConfiguration = { level: 'OFF', includeExecutionData: false };

/** How long StartExecution trusts a state machine it read (the service's own updates are eventually consistent). */
const STATE_MACHINE_CACHE_MS = 5_000;

/** `arn:…:stateMachine:NAME[:QUALIFIER]` → the unqualified ARN and the version number or alias name. */
export function splitStateMachineArn(arn: string): { base: string; qualifier?: string } {
  const parts = arn.split(':');
  return parts.length === 8 ? { base: parts.slice(0, 7).join(':'), qualifier: parts[7] } : { base: arn };
}

/** What an ARN starts: the state machine and the revision, and the version and alias it was reached through. */
export interface ResolvedTarget {
  sm: StateMachineRecord;
  revisionId: string;
  versionArn?: string;
  aliasArn?: string;
}

export interface RegistryOptions {
  store: ExecutionStore;
  now: () => number;
  region: string;
  account: string;
}

/** What a new state machine may be given besides its name, definition and role (CreateStateMachine's members). */
export interface NewStateMachineOptions {
  tags?: Record<string, string>;
  /** @default 'STANDARD' */
  type?: StateMachineRecord['type'];
  loggingConfiguration?: LoggingConfiguration;
  encryptionConfiguration?: EncryptionConfiguration;
  /** The region its ARN names (the caller's). @default the registry's */
  region?: string;
}

/** The settings putStateMachine keeps on a state machine besides its definition. */
export type StateMachineSettings = Pick<StateMachineRecord, 'loggingConfiguration' | 'retentionSeconds' | 'encryptionConfiguration'> & { region?: string };


/** Checks a definition for a state machine of `type` by compiling it; an EXPRESS one may not wait on tokens, activities or jobs. */
function checkedDefinition(definition: string, type: StateMachineRecord['type']): void {
  const machine = compileStateMachine(parseDefinitionText(definition));
  if (type === 'EXPRESS') checkExpressDefinition(machine);
}

/** State machines, versions, aliases and tags over the store. */
export class Registry {
  private readonly recentMachines = new Map<string, { record: StateMachineRecord; readAt: number }>();

  constructor(private readonly deps: RegistryOptions) {}

  /** The ARN of the state machine `name` in `region` (this registry's by default) and this account. */
  stateMachineArn(name: string, region = this.deps.region): string {
    return `arn:aws:states:${region}:${this.deps.account}:stateMachine:${name}`;
  }

  /** Registers a state machine (or a new revision of it); the definition is validated first. */
  async putStateMachine(
    name: string,
    definition: string,
    roleArn = `arn:aws:iam::${this.deps.account}:role/switchyard`,
    type: StateMachineRecord['type'] = 'STANDARD',
    settings: StateMachineSettings = {},
  ): Promise<StateMachineRecord> {
    checkedDefinition(definition, type); // throws InvalidDefinitionError with every diagnostic
    const stateMachineArn = this.stateMachineArn(name, settings.region);
    const existing = await this.deps.store.getStateMachine(stateMachineArn);
    // A new revision of an existing state machine keeps its tags, versions and aliases.
    const { loggingConfiguration: _l, retentionSeconds: _r, updateDate: _u, encryptionConfiguration: _e, ...kept } = existing ?? ({} as Partial<StateMachineRecord>);
    const record: StateMachineRecord = {
      ...kept,
      stateMachineArn,
      name,
      roleArn,
      type,
      creationDate: existing?.creationDate ?? this.deps.now(),
      revisionId: randomUUID(),
      definition,
      ...(existing ? { updateDate: this.deps.now() } : {}),
      ...(settings.loggingConfiguration ? { loggingConfiguration: settings.loggingConfiguration } : {}),
      ...(settings.retentionSeconds !== undefined ? { retentionSeconds: settings.retentionSeconds } : {}),
      ...(settings.encryptionConfiguration ? { encryptionConfiguration: settings.encryptionConfiguration } : {}),
    };
    await this.saveStateMachine(record);
    return record;
  }

  /** CreateStateMachine: idempotent for the same definition and role, as the service is. */
  async createStateMachine(name: string, definition: string, roleArn: string, options: NewStateMachineOptions = {}): Promise<StateMachineRecord> {
    const { tags, type = 'STANDARD', loggingConfiguration, encryptionConfiguration, region } = options;
    const arn = this.stateMachineArn(name, region);
    const existing = await this.deps.store.getStateMachine(arn);
    if (existing) {
      const sameLogging = JSON.stringify(existing.loggingConfiguration ?? OFF) === JSON.stringify(loggingConfiguration ?? OFF);
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type && sameLogging) return existing;
      throw new ServiceError(ServiceErrorName.StateMachineAlreadyExists, `State Machine Already Exists: '${arn}'`);
    }
    const settings: StateMachineSettings = {
      ...(loggingConfiguration ? { loggingConfiguration } : {}),
      ...(encryptionConfiguration ? { encryptionConfiguration } : {}),
      ...(region !== undefined ? { region } : {}),
    };
    const record = await this.putStateMachine(name, definition, roleArn, type, settings);
    if (tags && Object.keys(tags).length > 0) await this.tagResource(arn, tags);
    return { ...record, ...(tags ? { tags } : {}) };
  }

  /** UpdateStateMachine: a new revision; running executions keep theirs. */
  async updateStateMachine(
    stateMachineArn: string,
    changes: { definition?: string; roleArn?: string; loggingConfiguration?: LoggingConfiguration; encryptionConfiguration?: EncryptionConfiguration },
  ): Promise<StateMachineRecord> {
    const sm = await this.describeStateMachine(stateMachineArn);
    if (changes.definition !== undefined) checkedDefinition(changes.definition, sm.type);
    const record: StateMachineRecord = {
      ...sm,
      definition: changes.definition ?? sm.definition,
      roleArn: changes.roleArn ?? sm.roleArn,
      // Logging is no new revision of the definition (running executions follow it too).
      revisionId: changes.definition !== undefined || changes.roleArn !== undefined ? randomUUID() : sm.revisionId,
      updateDate: this.deps.now(),
      ...(changes.loggingConfiguration ? { loggingConfiguration: changes.loggingConfiguration } : {}),
      ...(changes.encryptionConfiguration ? { encryptionConfiguration: changes.encryptionConfiguration } : {}),
    };
    await this.saveStateMachine(record);
    return record;
  }

  async describeStateMachine(stateMachineArn: string): Promise<StateMachineRecord> {
    const sm = await this.deps.store.getStateMachine(stateMachineArn);
    if (!sm) throw new ServiceError(ServiceErrorName.StateMachineDoesNotExist, `State Machine Does Not Exist: '${stateMachineArn}'`);
    return sm;
  }

  async deleteStateMachine(stateMachineArn: string): Promise<void> {
    await this.deps.store.deleteStateMachine(stateMachineArn);
    this.recentMachines.delete(stateMachineArn);
  }

  async listStateMachines(): Promise<StateMachineRecord[]> {
    return this.deps.store.listStateMachines();
  }

  /** The definition text of one revision. */
  async definitionOf(stateMachineArn: string, revisionId: string): Promise<string> {
    const definition = await this.deps.store.getDefinition(stateMachineArn, revisionId);
    if (definition === undefined) throw new ServiceError(ServiceErrorName.StateMachineDoesNotExist, `State Machine Does Not Exist: '${stateMachineArn}'`);
    return definition;
  }

  /**
   * The state machine as StartExecution sees it: read at most every few
   * seconds per container. Step Functions documents the same: executions
   * started just after UpdateStateMachine may still use the previous
   * definition. Changes made through this registry are seen at once.
   */
  async recentStateMachine(stateMachineArn: string): Promise<StateMachineRecord> {
    const cached = this.recentMachines.get(stateMachineArn);
    if (cached && this.deps.now() - cached.readAt < STATE_MACHINE_CACHE_MS) return cached.record;
    const record = await this.describeStateMachine(stateMachineArn);
    this.recentMachines.set(stateMachineArn, { record, readAt: this.deps.now() });
    return record;
  }

  // ---- versions and aliases -------------------------------------------------------------

  /**
   * What an ARN starts: the state machine's current revision, a version
   * (`…:NAME:3`), or an alias (`…:NAME:prod`), which picks one of its versions by weight.
   */
  async resolveTarget(arn: string): Promise<ResolvedTarget> {
    const { base, qualifier } = splitStateMachineArn(arn);
    const sm = await this.recentStateMachine(base);
    if (qualifier === undefined) return { sm, revisionId: sm.revisionId };
    if (/^\d+$/.test(qualifier)) {
      const version = sm.versions?.find((v) => v.number === Number(qualifier));
      if (!version) throw new ServiceError(ServiceErrorName.StateMachineDoesNotExist, `State Machine Does Not Exist: '${arn}'`);
      return { sm, revisionId: version.revisionId, versionArn: arn };
    }
    const alias = sm.aliases?.find((a) => a.name === qualifier);
    if (!alias) throw new ServiceError(ServiceErrorName.ResourceNotFound, `Resource not found: '${arn}'`);
    let pick = Math.random() * alias.routing.reduce((a, r) => a + r.weight, 0);
    const route = alias.routing.find((r) => (pick -= r.weight) < 0) ?? alias.routing[0];
    const version = sm.versions!.find((v) => v.number === route.version)!;
    return { sm, revisionId: version.revisionId, versionArn: `${base}:${version.number}`, aliasArn: arn };
  }

  /** PublishStateMachineVersion: the current revision as the next version (or the latest, if it is that revision). */
  async publishVersion(stateMachineArn: string, description?: string, revisionId?: string): Promise<StateMachineVersion & { arn: string }> {
    const sm = await this.describeStateMachine(stateMachineArn);
    if (revisionId !== undefined && revisionId !== sm.revisionId) {
      throw new ServiceError(ServiceErrorName.ConflictException, `The revisionId '${revisionId}' is not the state machine's current revision '${sm.revisionId}'`);
    }
    const versions = sm.versions ?? [];
    const latest = versions[versions.length - 1];
    if (latest && latest.revisionId === sm.revisionId) return { ...latest, arn: `${sm.stateMachineArn}:${latest.number}` };
    const version: StateMachineVersion = { number: (latest?.number ?? 0) + 1, revisionId: sm.revisionId, creationDate: this.deps.now(), ...(description !== undefined ? { description } : {}) };
    await this.saveStateMachine({ ...sm, versions: [...versions, version] });
    return { ...version, arn: `${sm.stateMachineArn}:${version.number}` };
  }

  async deleteVersion(versionArn: string): Promise<void> {
    const { base, qualifier } = splitStateMachineArn(versionArn);
    const sm = await this.deps.store.getStateMachine(base);
    if (!sm || qualifier === undefined) return;
    const n = Number(qualifier);
    if (sm.aliases?.some((a) => a.routing.some((r) => r.version === n))) {
      throw new ServiceError(ServiceErrorName.ConflictException, `Version ${versionArn} is referenced by an alias; update or delete the alias first`);
    }
    await this.saveStateMachine({ ...sm, versions: (sm.versions ?? []).filter((v) => v.number !== n) });
  }

  /** Creates or updates an alias; every version it routes to must exist, weights add up to 100. */
  async putAlias(aliasArn: string, routing: { versionArn: string; weight: number }[], description: string | undefined, create: boolean): Promise<StateMachineAlias> {
    const { base, qualifier } = splitStateMachineArn(aliasArn);
    const sm = await this.describeStateMachine(base);
    const name = qualifier!;
    const existing = sm.aliases?.find((a) => a.name === name);
    if (create && existing) throw new ServiceError(ServiceErrorName.ConflictException, `Alias ${aliasArn} already exists`);
    if (!create && !existing) throw new ServiceError(ServiceErrorName.ResourceNotFound, `Resource not found: '${aliasArn}'`);
    if (routing.length < 1 || routing.length > 2 || routing.reduce((a, r) => a + r.weight, 0) !== 100) {
      throw new ServiceError(ServiceErrorName.ValidationException, 'routingConfiguration must name one or two versions whose weights add up to 100');
    }
    const routes = routing.map((r) => {
      const v = splitStateMachineArn(r.versionArn);
      const version = v.base === base && v.qualifier !== undefined ? sm.versions?.find((x) => x.number === Number(v.qualifier)) : undefined;
      if (!version) throw new ServiceError(ServiceErrorName.ResourceNotFound, `Resource not found: '${r.versionArn}'`);
      return { version: version.number, weight: r.weight };
    });
    const now = this.deps.now();
    const alias: StateMachineAlias = {
      name,
      ...(description !== undefined ? { description } : existing?.description !== undefined ? { description: existing.description } : {}),
      routing: routes,
      creationDate: existing?.creationDate ?? now,
      updateDate: now,
    };
    await this.saveStateMachine({ ...sm, aliases: [...(sm.aliases ?? []).filter((a) => a.name !== name), alias] });
    return alias;
  }

  async describeAlias(aliasArn: string): Promise<StateMachineAlias> {
    const { base, qualifier } = splitStateMachineArn(aliasArn);
    const sm = await this.deps.store.getStateMachine(base);
    const alias = sm?.aliases?.find((a) => a.name === qualifier);
    if (!alias) throw new ServiceError(ServiceErrorName.ResourceNotFound, `Resource not found: '${aliasArn}'`);
    return alias;
  }

  async deleteAlias(aliasArn: string): Promise<void> {
    const { base, qualifier } = splitStateMachineArn(aliasArn);
    const sm = await this.deps.store.getStateMachine(base);
    if (!sm) return;
    await this.saveStateMachine({ ...sm, aliases: (sm.aliases ?? []).filter((a) => a.name !== qualifier) });
  }

  // ---- tags ------------------------------------------------------------------------------

  /** Tags of a state machine or an activity. */
  async listTags(resourceArn: string): Promise<Record<string, string>> {
    return (await this.taggable(resourceArn)).tags ?? {};
  }

  async tagResource(resourceArn: string, tags: Record<string, string>): Promise<void> {
    const r = await this.taggable(resourceArn);
    const next = { ...(r.tags ?? {}), ...tags };
    if (Object.keys(next).length > 50) throw new ServiceError(ServiceErrorName.TooManyTags, `Too many tags: a resource has at most 50 tags`);
    await this.saveTaggable(r, next);
  }

  async untagResource(resourceArn: string, keys: readonly string[]): Promise<void> {
    const r = await this.taggable(resourceArn);
    const next = { ...(r.tags ?? {}) };
    for (const k of keys) delete next[k];
    await this.saveTaggable(r, next);
  }

  private async taggable(arn: string): Promise<StateMachineRecord | ActivityRecord> {
    const record = arn.includes(':activity:') ? await this.deps.store.getActivity(arn) : await this.deps.store.getStateMachine(arn);
    if (!record) throw new ServiceError(ServiceErrorName.ResourceNotFound, `Resource not found: '${arn}'`);
    return record;
  }

  private async saveTaggable(record: StateMachineRecord | ActivityRecord, tags: Record<string, string>): Promise<void> {
    if ('activityArn' in record) await this.deps.store.putActivity({ ...record, tags });
    else await this.saveStateMachine({ ...record, tags });
  }

  private async saveStateMachine(record: StateMachineRecord): Promise<void> {
    await this.deps.store.putStateMachine(record);
    this.recentMachines.delete(record.stateMachineArn);
  }
}
