/**
 * Tells the execution observer (logs, metrics) of each execution's start,
 * transitions and end. Its failures are logged, never thrown: an
 * observer is best effort and must not fail a transition.
 */
import type { EventDraft } from '../engine/events';
import type { ExecutionObserver, ExecutionRecord, LoggingConfiguration, StateMachineRecord } from './ports';

/** Tells an observer, if there is one, what executions do. */
export class ExecutionNotifier {
  constructor(
    private readonly observer: ExecutionObserver | undefined,
    /** The state machine as it is now, for the logging its executions' transitions follow. */
    private readonly stateMachine: (stateMachineArn: string) => Promise<StateMachineRecord>,
  ) {}

  started(record: ExecutionRecord): Promise<void> {
    return this.notify('started', record);
  }

  finished(record: ExecutionRecord): Promise<void> {
    return this.notify('finished', record);
  }

  /** One committed transition's events; only executions that log are told. */
  transitioned(record: ExecutionRecord, events: readonly EventDraft[]): Promise<void> {
    return this.notify('transitioned', record, events);
  }

  private async notify(kind: keyof ExecutionObserver, record: ExecutionRecord, events: readonly EventDraft[] = []): Promise<void> {
    if (!this.observer?.[kind]) return;
    try {
      if (kind === 'transitioned') {
        // Only executions that log are told of their transitions, by the state machine's logging as it is now.
        const logging = events.length > 0 ? await this.currentLogging(record) : undefined;
        if (!logging) return;
        record = logging === record.logging ? record : { ...record, logging };
      }
      await this.observer[kind]!(record, events);
    } catch (err) {
      console.error(`switchyard: the execution observer failed on ${kind} of ${record.info.executionArn}:`, err);
    }
  }

  /**
   * The logging an execution's transitions follow: its state machine's, read
   * at most every few seconds per container ("running executions continue to
   * use the previous definition and roleArn" — not the previous logging); the
   * one it started with when the state machine is gone.
   */
  private async currentLogging(record: ExecutionRecord): Promise<LoggingConfiguration | undefined> {
    let logging = record.logging;
    try {
      const sm = await this.stateMachine(record.info.stateMachineArn);
      logging = sm.loggingConfiguration;
    } catch {
      // Deleted, or unreadable for now: logs are best effort.
    }
    return logging && logging.level !== 'OFF' ? logging : undefined;
  }
}
