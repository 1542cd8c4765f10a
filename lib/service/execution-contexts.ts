/**
 * What a transition needs of its execution besides the frame: the
 * execution's record and its compiled definition revision, cached per
 * container (a revision never changes, so its compiled machine is kept).
 * The record changes only by a redrive (and its end, which this container's
 * transitions write themselves), so a cached one is checked against the
 * redrive count of each message and frame it serves: stale, it is read again.
 */
import { compileStateMachine, parseDefinitionText } from '../asl/compile';
import type { CompiledStateMachine } from '../asl/model';
import type { ExecutionRecord, ExecutionStore } from './ports';
import type { StoredState } from './stored-state';

/** An execution as its transitions see it. */
export interface ExecutionContext {
  record: ExecutionRecord;
  /** Undefined when the execution's definition revision was deleted. */
  machine: CompiledStateMachine | undefined;
  /** History events this container knows the execution holds, and when to read the stored count again (history-cap.ts). */
  events?: { known: number; recountAt: number; recount?: Promise<void> };
}

/** Executions whose context is kept, at most (the oldest is forgotten first). */
const MAX_CACHED_EXECUTIONS = 1000;

/** The cause an execution fails with when its definition revision is gone. */
export function missingRevisionCause(record: ExecutionRecord): string {
  return `The definition revision '${record.revisionId}' of the state machine '${record.info.stateMachineArn}' that this execution runs was deleted.`;
}

/** Execution contexts and compiled revisions, cached per container. */
export class ExecutionContexts {
  private readonly machines = new Map<string, CompiledStateMachine>();
  private readonly contexts = new Map<string, ExecutionContext>();

  constructor(
    private readonly store: Pick<ExecutionStore, 'getDefinition'>,
    private readonly stored: Pick<StoredState, 'readRecord'>,
  ) {}

  /**
   * The execution's record (`known`, or as stored) and compiled machine; undefined when the execution is gone.
   * Another container may have redriven the execution since the record was cached: `redriveCount`, the
   * count a message or frame carries, reads the record again when the cached one is of an earlier run.
   */
  async get(executionArn: string, known?: ExecutionRecord, redriveCount = 0): Promise<ExecutionContext | undefined> {
    const cached = this.contexts.get(executionArn);
    if (cached && cached.record.info.redriveCount >= redriveCount) return cached;
    if (cached) known = undefined;
    const record = known ?? (await this.stored.readRecord(executionArn));
    if (!record) return undefined;
    const ctx = { record, machine: await this.machine(record.info.stateMachineArn, record.revisionId) };
    if (this.contexts.size >= MAX_CACHED_EXECUTIONS) this.contexts.delete(this.contexts.keys().next().value!);
    this.contexts.set(executionArn, ctx);
    return ctx;
  }

  /** One definition revision, compiled once per container; undefined when the revision was deleted. */
  async machine(stateMachineArn: string, revisionId: string): Promise<CompiledStateMachine | undefined> {
    const machineKey = `${stateMachineArn}#${revisionId}`;
    let machine = this.machines.get(machineKey);
    if (!machine) {
      const definition = await this.store.getDefinition(stateMachineArn, revisionId);
      if (definition !== undefined) {
        machine = compileStateMachine(parseDefinitionText(definition));
        this.machines.set(machineKey, machine);
      }
    }
    return machine;
  }

  /** Forgets an execution's context (its record changed: RedriveExecution). */
  forget(executionArn: string): void {
    this.contexts.delete(executionArn);
  }
}
