/**
 * The event an asynchronous Express start reaches its runner as (the Express
 * function, lambda/express.ts): the launch itself, or — when it is larger
 * than an asynchronous invoke may carry — `{"$blob": key}`, the launch
 * stored aside in the blob store, as an oversized queue message is.
 */
import type { BlobStore, ExpressLaunch } from './ports';

/** A launch stored aside: where its JSON is in the blob store. */
export interface StoredLaunch {
  $blob: string;
}

/** The Express function's event. */
export type ExpressLaunchEvent = ExpressLaunch | StoredLaunch;

/** The event is no launch: retrying cannot help, so the runner drops it (with a log line) rather than throw. */
export class MalformedLaunchError extends Error {
  override readonly name = 'MalformedLaunchError';
  constructor(readonly problem: string) {
    super(`The Express launch is malformed: ${problem}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The launch an event carries, read from `blobs` when it was stored aside; MalformedLaunchError when there is none. */
export async function readExpressLaunch(event: unknown, blobs?: Pick<BlobStore, 'get'>): Promise<ExpressLaunch> {
  if (!isRecord(event)) throw new MalformedLaunchError('the event is not an object');
  let launch: unknown = event;
  if (typeof event.$blob === 'string') {
    if (!blobs) throw new MalformedLaunchError(`it was stored aside (${event.$blob}) and no blob store is configured`);
    launch = JSON.parse(await blobs.get(event.$blob)) as unknown;
  }
  if (!isRecord(launch) || launch.v !== 1) throw new MalformedLaunchError('v is not 1');
  const record = launch.express;
  if (!isRecord(record) || !isRecord(record.info) || typeof record.info.executionArn !== 'string' || typeof record.revisionId !== 'string') {
    throw new MalformedLaunchError('express is not an execution record');
  }
  return launch as unknown as ExpressLaunch;
}
