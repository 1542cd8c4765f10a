/**
 * The access key id a SigV4-signed request names: `Authorization:
 * AWS4-HMAC-SHA256 Credential=<AccessKeyId>/<date>/<region>/<service>/aws4_request, …`.
 * `switchyard serve --policy` names callers by it WITHOUT checking the
 * signature (it has no secret keys to check it with): locally, the access
 * key id is a name, not a credential.
 */

/** The access key id of a SigV4 Authorization header, or undefined when there is none. */
export function sigV4AccessKeyId(authorization: string | undefined): string | undefined {
  return /^AWS4-HMAC-SHA256\s+.*?Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1];
}

/** A region name as SigV4 scopes carry it (`us-east-1`, `eu-west-3`, `us-gov-west-1`). */
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

/**
 * The region of a SigV4 Authorization header signed for Step Functions
 * (`Credential=AKID/DATE/REGION/states/aws4_request`), or undefined when it
 * has none: a client's ARNs are in the region it signs for, as the service's
 * regional endpoints mint them.
 */
export function sigV4Region(authorization: string | undefined): string | undefined {
  const scope = /^AWS4-HMAC-SHA256\s+.*?Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/states\/aws4_request/.exec(authorization ?? '');
  return scope && REGION.test(scope[1]) ? scope[1] : undefined;
}
