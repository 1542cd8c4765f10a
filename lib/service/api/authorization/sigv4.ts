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
