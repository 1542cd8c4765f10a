/**
 * The Express function: the function that starts an execution — the API
 * function, the schedule function, or the invoker or transition function
 * running a STANDARD parent's states:startExecution task — invokes it
 * asynchronously (InvocationType `Event`, lib/aws/express-launcher.ts) with
 * each asynchronous EXPRESS start, and it runs that execution to its end in this
 * invocation (lib/service/express.ts) — no queue message, no table write.
 * Its timeout outlasts Express's five-minute limit, so an execution times
 * out as Step Functions times it out, inside the run.
 *
 * At least once: an invocation that throws (the execution could not run —
 * its state machine could not be read, say) or dies is retried by Lambda
 * twice, then the event goes to the on-failure destination (the construct's
 * Express dead-letter queue, with an alarm). A retry runs the execution
 * again from its start under the same ARN. An execution that ends FAILED or
 * TIMED_OUT has ended: it is not retried, as Step Functions does not retry it.
 * An event that is no launch cannot succeed on a retry: it is logged and dropped.
 * A child of a `.sync` task completes that task when it ends (a message to
 * the parent's frame, its token checked with the deployment's key).
 */
import { deployedHandler, type Cloud } from '../lib/aws/environment';
import { MalformedLaunchError, readExpressLaunch } from '../lib/service/express-launch';
import type { ExecutionStatus } from '../lib/service/ports';

/** What one invocation did (Lambda discards an asynchronous invocation's result; tests read it). */
export type ExpressOutcome = { executionArn: string; status: ExecutionStatus } | { dropped: string };

/** A handler over a given cloud (tests and the bench run it behind the local Lambda endpoint). */
export function createExpressHandler(cloud: Pick<Cloud, 'driver' | 'blobs'>, log: (entry: Record<string, unknown>) => void = () => {}): (event: unknown) => Promise<ExpressOutcome> {
  return async (event) => {
    let launch;
    try {
      launch = await readExpressLaunch(event, cloud.blobs);
    } catch (err) {
      if (!(err instanceof MalformedLaunchError)) throw err;
      log({ message: 'Dropped an Express launch that is no launch', error: err.problem });
      return { dropped: err.problem };
    }
    const ended = await cloud.driver.runExpress(launch);
    return { executionArn: ended.info.executionArn, status: ended.status };
  };
}

export const handler = deployedHandler('switchyard-express', (parts) => createExpressHandler(parts.cloud, (entry) => parts.logger.warn(String(entry.message ?? ''), entry)));
