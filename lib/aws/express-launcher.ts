/**
 * Asynchronous Express starts handed to the Express function
 * (lambda/express.ts) by an asynchronous Lambda invoke (InvocationType
 * `Event`): Lambda answers 202 once it has queued the event, then runs the
 * function, retries an invocation that failed or timed out twice, and sends
 * an event that never succeeded (or outlived its maximum age) to the
 * function's on-failure destination — Step Functions' at-least-once for
 * asynchronous Express executions, with no SQS request of ours.
 *
 * An asynchronous invoke carries at most 256 KiB. A larger launch is stored
 * in the blob store (the payload bucket) and the event carries
 * `{"$blob": key}`, as an oversized queue message does, so an Express
 * execution's input has no size limit of its own here.
 */
import { randomUUID } from 'node:crypto';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { StoredLaunch } from '../service/express-launch';
import type { BlobStore, ExpressLaunch, ExpressLauncher } from '../service/ports';

/** The most an asynchronous invoke's payload may be: 256 KiB. */
export const ASYNC_INVOKE_MAX_BYTES = 256 * 1024;

export interface LambdaExpressLauncherOptions {
  client: LambdaClient;
  /** The Express function's name or ARN. */
  functionName: string;
  /** Where a launch larger than `maxPayloadBytes` is stored aside. @default none: such a launch throws */
  blobs?: BlobStore;
  /** @default ASYNC_INVOKE_MAX_BYTES */
  maxPayloadBytes?: number;
}

/** Lambda did not queue the event (its answer was not 202). */
export class ExpressLaunchError extends Error {
  override readonly name = 'ExpressLaunchError';
  constructor(
    readonly functionName: string,
    readonly statusCode: number | undefined,
  ) {
    super(`Lambda did not accept the asynchronous invocation of ${functionName} (status ${String(statusCode)})`);
  }
}

export class LambdaExpressLauncher implements ExpressLauncher {
  private readonly maxBytes: number;

  constructor(private readonly options: LambdaExpressLauncherOptions) {
    this.maxBytes = options.maxPayloadBytes ?? ASYNC_INVOKE_MAX_BYTES;
  }

  async launch(launch: ExpressLaunch): Promise<void> {
    let payload = JSON.stringify(launch);
    if (Buffer.byteLength(payload) > this.maxBytes) {
      const blobs = this.options.blobs;
      if (!blobs) throw new Error(`An Express launch of ${Buffer.byteLength(payload)} bytes is larger than an asynchronous invoke allows and no blob store is configured`);
      const key = `express-launches/${randomUUID()}`;
      await blobs.put(key, payload);
      const stored: StoredLaunch = { $blob: key };
      payload = JSON.stringify(stored);
    }
    const out = await this.options.client.send(new InvokeCommand({ FunctionName: this.options.functionName, InvocationType: 'Event', Payload: Buffer.from(payload) }));
    if (out.StatusCode !== 202) throw new ExpressLaunchError(this.options.functionName, out.StatusCode);
  }
}
