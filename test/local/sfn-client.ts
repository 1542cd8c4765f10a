/** The official SDK's client pointed at a local server, and a wait for an execution's end: shared by the serve tests. */
import { DescribeExecutionCommand, SFNClient, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';

/** An SFN client for `url` with dummy credentials (the local server does not verify signatures). */
export function client(url: string): SFNClient {
  return new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/** DescribeExecution until the execution is no longer RUNNING. */
export async function until(sfn: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 20));
  }
}
