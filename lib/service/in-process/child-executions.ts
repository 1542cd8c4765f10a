/**
 * The history of one child execution of an in-process execution: a
 * DISTRIBUTED Map's iteration, which Step Functions runs as an execution of
 * its own (ExecutionStarted … ExecutionSucceeded), numbered from 1 apart
 * from its parent's. Kept as the drafts themselves: a Map of 10,000 items
 * has 10,000 of these, each short, so the columns of HistoryLog (sized for
 * one long history) would cost more than they save.
 */
import { isStateEntered, materializeDetails, type EventDraft } from '../../engine/events';
import type { HistoryEvent } from '../../engine/history';

export class ChildExecutionLog {
  private readonly drafts: EventDraft[] = [];
  private readonly previous: number[] = [];
  private entries = 0;

  constructor(
    /** `arn:aws:states:REGION:ACCOUNT:execution:MACHINE/LABEL:UUID`. */
    readonly executionArn: string,
  ) {}

  /** Events kept so far. */
  get length(): number {
    return this.drafts.length;
  }

  /** The id the next appended event gets. */
  get nextId(): number {
    return this.drafts.length + 1;
  }

  /** State entries recorded (billed as state transitions, as the parent's are). */
  get statesEntered(): number {
    return this.entries;
  }

  /** Appends an event numbered {@link nextId} after `previousEventId`. */
  append(draft: EventDraft, previousEventId: number): void {
    this.drafts.push(draft);
    this.previous.push(previousEventId);
    if (isStateEntered(draft.type)) this.entries++;
  }

  /** The history as GetExecutionHistory on the child execution's ARN returns it. */
  events(): HistoryEvent[] {
    return this.drafts.map((draft, i) => {
      const event: HistoryEvent = { timestamp: draft.timestamp, type: draft.type, id: i + 1, previousEventId: this.previous[i] };
      if (draft.detailsKey) event[draft.detailsKey] = materializeDetails(draft.details ?? {});
      return event;
    });
  }
}
