/** Messages onto the transition queue, in envelopes, with delays longer than the queue allows chained. */
import type { Message } from '../engine/messages';
import type { Envelope, FrameVersion, Outgoing, TransitionQueue } from './ports';

/** A message to send, after `delayMs`; `carry` is a frame version that travels with it to its frame. */
export interface OutgoingMessage {
  message: Message;
  delayMs: number;
  carry?: FrameVersion;
  /** A Lamport clock past the sender's, when the message must follow writes made after its version (aborted children). */
  lc?: number;
  /**
   * Epoch ms a delay longer than the queue's counts from: the commit that decided it, so an outbox carried out
   * again sends the same due time, and the copies are one wait whose hops are sent once (timer-hops.ts). @default now
   */
  from?: number;
}

/** Sends messages for the service's transitions. */
export class MessageSender {
  constructor(
    private readonly queue: TransitionQueue,
    private readonly now: () => number,
    /** The queue's maximum delay; a longer one is sent at this and waits out the rest (`notBefore`). */
    readonly maxDelayMs: number,
  ) {}

  /**
   * Sends messages of one execution in one call; `lc` is the sender's Lamport
   * clock, `final` the version of the frame whose outbox they complete.
   */
  async send(messages: readonly OutgoingMessage[], executionArn: string, lc: number, final?: number): Promise<void> {
    const now = this.now();
    const out: Outgoing[] = messages.map(({ message, delayMs, carry, lc: after, from }) => {
      const envelope: Envelope = { v: 1, executionArn, message, lc: Math.max(lc, after ?? lc) };
      if (carry && message.frameId === carry.frame.id) envelope.frame = carry;
      if (final !== undefined) envelope.final = final;
      if (delayMs <= this.maxDelayMs) return { envelope, delayMs };
      envelope.notBefore = Math.min(from ?? now, now) + delayMs;
      return { envelope, delayMs: Math.max(0, Math.min(envelope.notBefore - now, this.maxDelayMs)) };
    });
    await this.queue.send(out);
  }

  /** Sends an envelope back to wait out the rest of its delay. */
  async resend(envelope: Envelope, delayMs: number): Promise<void> {
    await this.queue.send([{ envelope, delayMs: Math.min(delayMs, this.maxDelayMs) }]);
  }
}
