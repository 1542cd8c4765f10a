/**
 * Synth loads no runtime client: lib/cdk imports lib/asl, aws-cdk-lib and
 * constructs, never an AWS SDK client or Powertools (not even for a constant).
 */
import { AWS_RUNTIME_PACKAGES, modulesLoadedBy, requireFromRoot } from '../loaded-modules';

describe('lib/cdk', () => {
  it('loads no AWS SDK client, no Powertools module and no lib/aws module', async () => {
    const loaded = await modulesLoadedBy([...AWS_RUNTIME_PACKAGES, 'lib/aws/observability', 'lib/aws/index'], () => requireFromRoot('lib/cdk'));
    expect(loaded).toEqual([]);
  });
});
