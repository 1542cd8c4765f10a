/**
 * One lane per parent frame in a container for its children's completions
 * (DESIGN.md invariant 5): they are applied one transition at a time, never
 * racing each other on the parent's conditional put, and those that arrive
 * while the lane is busy wait in it and are then applied together, as one
 * transition — a thousand iterations ending at once cost the parent a few
 * versions, not a thousand contended writes. (Only completions: a timer
 * must not wait behind a task invocation of its frame. Other containers,
 * and other messages, may still race on the frame; the transition
 * processor retries those conflicts.)
 */
import type { Envelope } from './ports';

interface Waiting {
  envelope: Envelope;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface Lane {
  waiting: Waiting[];
}

/** Applies each parent's completions one transition at a time, coalescing those that wait. */
export class FrameLanes {
  private readonly lanes = new Map<string, Lane>();

  /** @param run applies ChildCompleted envelopes for one frame as one transition */
  constructor(private readonly run: (envelopes: readonly Envelope[]) => Promise<void>) {}

  /** Applies `envelopes` (ChildCompleted, all for one frame) once the frame's earlier completions in this container are applied. */
  submit(envelopes: readonly Envelope[]): Promise<void> {
    const key = `${envelopes[0].executionArn}|${envelopes[0].message.frameId}`;
    const busy = this.lanes.get(key);
    const lane = busy ?? { waiting: [] };
    if (!busy) this.lanes.set(key, lane);
    const joined = Promise.all(envelopes.map((envelope) => new Promise<void>((resolve, reject) => lane.waiting.push({ envelope, resolve, reject })))).then(() => undefined);
    if (!busy) void this.drain(key);
    return joined;
  }

  private async drain(key: string): Promise<void> {
    const lane = this.lanes.get(key)!;
    // Let the submitter finish queueing (a group's envelopes join in one go).
    await Promise.resolve();
    while (lane.waiting.length > 0) {
      const take = lane.waiting;
      lane.waiting = [];
      try {
        await this.run(take.map((w) => w.envelope));
        for (const w of take) w.resolve();
      } catch (err) {
        for (const w of take) w.reject(err);
      }
    }
    this.lanes.delete(key);
  }
}
