/**
 * Reading a request's members as Step Functions checks them: a missing
 * required member is the service's "Member must not be null"
 * ValidationException, a member of the wrong JSON type a
 * SerializationException, a malformed ARN InvalidArn, a bad name
 * InvalidName; and the pieces several actions share (timestamps, paging,
 * tag lists).
 */
import type { JsonValue } from '../../asl/json';
import { isValidName, NAME_CHARACTER } from '../../asl/names';
import { ServiceError, ServiceErrorName } from '../../engine/service-errors';
import { EXPRESS_RESOURCE } from '../express';

/** Throws the API error `name` with `message`. */
export function fail(name: ServiceErrorName, message: string): never {
  throw new ServiceError(name, message);
}

/** A timestamp as the JSON protocol sends it: epoch seconds. */
export const seconds = (ms: number): number => ms / 1000;

/** The keys of shape `I` whose members are of type `T`. */
type MembersOfType<I, T> = { [K in keyof I]-?: NonNullable<I[K]> extends T ? K : never }[keyof I] & string;

/** A kind of ARN the API checks: its pattern and the name its InvalidArn message gives it. */
export interface ArnKind {
  readonly pattern: RegExp;
  readonly kind: string;
  /** Resource types of well-formed ARNs that this member refuses with "Resource type not valid in this context". */
  readonly refuses?: readonly string[];
}

const N = `${NAME_CHARACTER}{1,80}`;
const PREFIX = 'arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}';
const arnKind = (resource: string, kind: string): ArnKind => ({ pattern: new RegExp(`^${PREFIX}:${resource}$`, 'u'), kind });

/** The ARNs the API checks before it looks anything up. */
export const Arn = {
  stateMachine: arnKind(`stateMachine:${N}`, 'State machine'),
  /** A state machine, a version (`:3`) or an alias (`:prod`). */
  qualifiedStateMachine: arnKind(`stateMachine:${N}(?::${N})?`, 'State machine'),
  stateMachineVersion: arnKind(`stateMachine:${N}:\\d+`, 'State machine version'),
  /**
   * An execution, or a DISTRIBUTED Map's child execution (`execution:MACHINE/LABEL:UUID`); an Express
   * execution's ARN (`express:MACHINE:NAME:ID`) is refused, as the service refuses it: it keeps no Express execution.
   */
  execution: { ...arnKind(`execution:${N}(?:/${N})?:${N}`, 'Execution'), refuses: [EXPRESS_RESOURCE] },
  mapRun: arnKind(`mapRun:${N}/${N}:${N}`, 'Map Run'),
  activity: arnKind(`activity:${N}`, 'Activity'),
} as const;

/** The cloud runtime lifts Step Functions' 256 KiB limit; this bounds one request. */
const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** A request's body: the decoded JSON object as sent, or (in tests) a value of its input shape. */
export type RequestBody<I> = { readonly [K in keyof I]?: unknown } | Readonly<Record<string, unknown>>;

/**
 * One request's members, read by the names of its input shape `I` (the API
 * model's names, so a misspelt member does not compile) and checked as they
 * are read, in the order the action reads them — the order decides which
 * error a request with several problems gets.
 */
export class RequestMembers<I> {
  private readonly body: Readonly<Record<string, unknown>>;
  constructor(body: RequestBody<I>) {
    this.body = body as Readonly<Record<string, unknown>>;
  }

  /** An optional string member: absent or null is undefined, any other non-string a SerializationException. */
  string(key: MembersOfType<I, string>): string | undefined {
    const value = this.body[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') fail(ServiceErrorName.SerializationException, `Unexpected value type for '${key}': expected a string`);
    return value;
  }

  /** A required string member: absent or null is a ValidationException. */
  required(key: MembersOfType<I, string>): string {
    const value = this.string(key);
    if (value === undefined) fail(ServiceErrorName.ValidationException, `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`);
    return value;
  }

  /** A required ARN member, checked against its kind's pattern. */
  arn(key: MembersOfType<I, string>, arn: ArnKind): string {
    const value = this.required(key);
    const resource = value.split(':')[5];
    if (resource !== undefined && arn.refuses?.includes(resource) && value.startsWith('arn:')) fail(ServiceErrorName.InvalidArn, `Invalid Arn: 'Resource type not valid in this context: ${resource}'`);
    if (!arn.pattern.test(value)) fail(ServiceErrorName.InvalidArn, `Invalid Arn: '${arn.kind} ARN is malformed: ${value}'`);
    return value;
  }

  /** A required name member (of a state machine, an activity or an alias), checked by the resource name rule. */
  name(key: MembersOfType<I, string>): string {
    return checkedName(this.required(key));
  }

  /** A member as sent, for the members an action checks itself (lists, objects, numbers, flags). */
  raw(key: keyof I & string): unknown {
    return this.body[key];
  }
}

/** `name`, if it is a valid resource name; otherwise InvalidName. */
export function checkedName(name: string): string {
  if (!isValidName(name)) fail(ServiceErrorName.InvalidName, `Invalid Name: '${name}'`);
  return name;
}

/** A member carrying JSON text, parsed; text that is not JSON, or too large, is the error `error`. */
export function parseJsonMember(text: string | undefined, error: ServiceErrorName, what: string): JsonValue | undefined {
  if (text === undefined) return undefined;
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES) fail(error, `${what} is too large`);
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return fail(error, `Invalid ${what}: '${text.slice(0, 200)}' is not valid JSON`);
  }
}

/** The members of a paginated request. */
export interface PageRequest {
  maxResults?: number;
  nextToken?: string;
}

/** What paging reads of a request whose input shape extends PageRequest. */
interface PageMembers {
  raw(key: 'maxResults'): unknown;
  string(key: 'nextToken'): string | undefined;
}

/** The request's maxResults: 100 when absent or 0, at most 1000. */
export function pageSize(request: Pick<PageMembers, 'raw'>): number {
  const maxResults = request.raw('maxResults');
  const max = maxResults === undefined || maxResults === 0 ? 100 : Number(maxResults);
  if (!Number.isInteger(max) || max < 0 || max > 1000) {
    fail(ServiceErrorName.ValidationException, `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  }
  return max;
}

/** One page of `items` by the request's maxResults (default 100, at most 1000) and nextToken (opaque, tagged per listing). */
export function paginate<T>(items: readonly T[], request: PageMembers, tag: string): { page: T[]; nextToken?: string } {
  const max = pageSize(request);
  const token = request.string('nextToken');
  let offset = 0;
  if (token !== undefined) {
    const decoded = new RegExp(`^${tag}\\.(\\d+)$`).exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!decoded) fail(ServiceErrorName.InvalidToken, 'Invalid Token');
    offset = Number(decoded[1]);
  }
  const page = items.slice(offset, offset + max);
  return offset + max < items.length ? { page, nextToken: Buffer.from(`${tag}.${offset + max}`).toString('base64url') } : { page };
}

/** The API's Tag: one key and its value. */
export interface Tag {
  key: string;
  value: string;
}

/** The API's `[{key, value}]` tag list as a map; a malformed list is a ValidationException. */
export function tagList(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail(ServiceErrorName.ValidationException, 'tags must be a list of {key, value}');
  const out: Record<string, string> = {};
  for (const t of value as { key?: unknown; value?: unknown }[]) {
    if (typeof t?.key !== 'string' || typeof t.value !== 'string') fail(ServiceErrorName.ValidationException, 'Each tag needs a string key and a string value');
    out[t.key] = t.value;
  }
  return out;
}
