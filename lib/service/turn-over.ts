/**
 * Letting the event loop poll for I/O in the middle of long work. The
 * in-memory ports answer with microtasks only, so in `switchyard serve` a
 * loop over 100,000 children never reached the sockets: every other caller
 * waited for it. Over the real adapters each call already waits on I/O.
 */

/** Resolves after the event loop has polled for I/O once: what is waiting on a socket is handled first. */
export const turnOver = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Items handled between turns of the event loop in a long in-memory loop. */
export const ITEMS_PER_TURN = 1000;
