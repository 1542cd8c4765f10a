/**
 * Time for the in-process driver. At scale 1 delays are real; at scale s a
 * delay of d ms takes d·s ms; at scale 0 nothing waits: the virtual clock
 * jumps to the next due timer once nothing else can run, so history
 * timestamps still show the waits that were skipped.
 */
export interface Timers {
  now(): number;
  /** Schedules `fn` after `delayMs` of workflow time. Returns a cancel function. */
  schedule(delayMs: number, fn: () => void): () => void;
  /** Called by the driver whenever it runs out of immediate work. */
  idle(): void;
  /** Cancels everything still scheduled. */
  dispose(): void;
  /** True while something is scheduled (a wait, a retry, a timeout to come). */
  hasPending(): boolean;
}

interface Pending {
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Real timers, delays multiplied by `scale` (> 0). Timestamps are real time. */
export function scaledTimers(scale: number): Timers {
  const handles = new Set<NodeJS.Timeout>();
  return {
    now: () => Date.now(),
    schedule(delayMs, fn) {
      const handle = setTimeout(() => {
        handles.delete(handle);
        fn();
      }, Math.max(0, delayMs * scale));
      handles.add(handle);
      return () => {
        clearTimeout(handle);
        handles.delete(handle);
      };
    },
    idle() {},
    dispose() {
      for (const h of handles) clearTimeout(h);
      handles.clear();
    },
    hasPending: () => handles.size > 0,
  };
}

/** Virtual timers: time advances only when the driver is idle. */
export function virtualTimers(start = Date.now(), isBusy: () => boolean = () => false): Timers {
  let now = start;
  let seq = 0;
  const heap: Pending[] = [];
  let advancing: NodeJS.Immediate | undefined;

  function push(p: Pending): void {
    heap.push(p);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (before(heap[parent], heap[i])) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }
  function before(a: Pending, b: Pending): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }
  function pop(): Pending | undefined {
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l], heap[m])) m = l;
        if (r < heap.length && before(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  }
  function advance(): void {
    advancing = undefined;
    if (isBusy()) return;
    let next = pop();
    while (next && next.cancelled) next = pop();
    if (!next) return;
    now = Math.max(now, next.due);
    next.fn();
  }
  return {
    now: () => now,
    schedule(delayMs, fn) {
      const p: Pending = { due: now + Math.max(0, delayMs), seq: seq++, fn, cancelled: false };
      push(p);
      return () => {
        p.cancelled = true;
      };
    },
    idle() {
      // A macrotask later, so callers awaiting promises (e.g. SendTaskSuccess after a listener) act first.
      advancing ??= setImmediate(advance);
    },
    dispose() {
      heap.length = 0;
      if (advancing) clearImmediate(advancing);
      advancing = undefined;
    },
    hasPending: () => heap.some((p) => !p.cancelled),
  };
}
