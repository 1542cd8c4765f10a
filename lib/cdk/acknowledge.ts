/**
 * Acknowledges a cdk-nag finding on a construct, through aws-cdk-lib's
 * `Validations` where the app's aws-cdk-lib has it (2.257 and later, which
 * cdk-nag 3 itself needs). With an older aws-cdk-lib no nag rule runs, so
 * there is nothing to acknowledge and the call does nothing: the construct
 * takes the app's aws-cdk-lib as its peer and must not need a newer one.
 */
import * as cdk from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

type ValidationsApi = typeof cdk extends { Validations: infer V } ? V : never;

/** `Validations` from the app's aws-cdk-lib, when it has one. */
const validations = (cdk as { Validations?: ValidationsApi }).Validations;

/**
 * Records that the finding `id` (e.g. `AwsSolutions::AwsSolutions-L1`) on
 * `scope` is intended, and why.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  validations?.of(scope).acknowledge({ id, reason });
}
