/**
 * Scheduled and event-driven starts on one machine, as EventBridge gives
 * them in the cloud. A triggers file names them:
 *
 * ```json
 * {
 *   "schedules": [{ "name": "nightly", "stateMachine": "hello-world", "expression": "rate(1 minute)", "input": {"name": "cron"} }],
 *   "rules": [{ "name": "orders", "stateMachine": "order-fulfilment", "eventPattern": {"source": ["shop"], "detail-type": ["OrderPlaced"]} }]
 * }
 * ```
 *
 * Schedule expressions are EventBridge's: `rate(N minute|minutes|hour|hours|day|days)`,
 * `at(yyyy-mm-ddThh:mm:ss)` (UTC) and `cron(min hour day-of-month month day-of-week year)`.
 * A rule starts its state machine with the event as input, named by the event id.
 */
import { isJsonObject, type JsonValue } from '../asl/json';

export interface ScheduleSpec {
  name: string;
  stateMachine: string;
  expression: string;
  input?: JsonValue;
}

export interface RuleSpec {
  name: string;
  stateMachine: string;
  eventPattern: Record<string, unknown>;
}

export interface TriggersFile {
  schedules: ScheduleSpec[];
  rules: RuleSpec[];
}

export class TriggersError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TriggersError';
  }
}

/** Checks a triggers file's content, every schedule expression parsed, with a message naming what is wrong. */
export function parseTriggers(value: unknown): TriggersFile {
  if (!isJsonObject(value)) throw new TriggersError('A triggers file must be a JSON object with "schedules" and/or "rules"');
  const schedules = (value.schedules ?? []) as unknown[];
  const rules = (value.rules ?? []) as unknown[];
  if (!Array.isArray(schedules) || !Array.isArray(rules)) throw new TriggersError('"schedules" and "rules" must be lists');
  schedules.forEach((s, i) => {
    const spec = s as Partial<ScheduleSpec>;
    if (typeof spec.name !== 'string' || typeof spec.stateMachine !== 'string' || typeof spec.expression !== 'string') {
      throw new TriggersError(`schedules[${i}] needs a name, a stateMachine and an expression (strings)`);
    }
    nextFireTime(spec.expression, 0); // throws on a bad expression
  });
  rules.forEach((r, i) => {
    const spec = r as Partial<RuleSpec>;
    if (typeof spec.name !== 'string' || typeof spec.stateMachine !== 'string' || !isJsonObject(spec.eventPattern as JsonValue)) {
      throw new TriggersError(`rules[${i}] needs a name, a stateMachine and an eventPattern (object)`);
    }
  });
  return { schedules: schedules as ScheduleSpec[], rules: rules as RuleSpec[] };
}

const UNIT_MS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };

/**
 * When a schedule fires next after `after` (epoch ms), or undefined when it
 * never will again (a past `at()`). A rate fires `after` + its period.
 */
export function nextFireTime(expression: string, after: number): number | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    if (n < 1) throw new TriggersError(`Invalid rate expression '${expression}': the value must be 1 or more`);
    // EventBridge wants the singular unit for 1 and the plural otherwise.
    if ((n === 1) !== !rate[2].endsWith('s')) throw new TriggersError(`Invalid rate expression '${expression}': use '${n} ${n === 1 ? rate[2].replace(/s$/, '') : rate[2] + 's'}'`);
    return after + n * UNIT_MS[rate[2]];
  }
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  if (at) {
    const t = Date.parse(`${at[1]}Z`);
    if (Number.isNaN(t)) throw new TriggersError(`Invalid at expression '${expression}'`);
    return t > after ? t : undefined;
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (cron) return nextCron(cron[1], after, expression);
  throw new TriggersError(`Invalid schedule expression '${expression}': use rate(...), cron(...) or at(...)`);
}

/** The values a cron field allows, within [min, max]. */
function cronField(field: string, min: number, max: number, expression: string): Set<number> | 'any' {
  if (field === '*' || field === '?') return 'any';
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!m) throw new TriggersError(`Invalid cron expression '${expression}': cannot read '${part}'`);
    const from = m[1] === '*' ? min : Number(m[1]);
    const to = m[2] !== undefined ? Number(m[2]) : m[3] !== undefined || m[1] === '*' ? max : from;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (from < min || to > max || step < 1) throw new TriggersError(`Invalid cron expression '${expression}': '${part}' is outside ${min}-${max}`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

function nextCron(body: string, after: number, expression: string): number | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) throw new TriggersError(`Invalid cron expression '${expression}': it needs six fields (minutes hours day-of-month month day-of-week year)`);
  const [minutes, hours, dom, month, dow, year] = [
    cronField(fields[0], 0, 59, expression),
    cronField(fields[1], 0, 23, expression),
    cronField(fields[2], 1, 31, expression),
    cronField(fields[3], 1, 12, expression),
    cronField(fields[4], 1, 7, expression),
    cronField(fields[5], 1970, 2199, expression),
  ];
  const ok = (set: Set<number> | 'any', v: number): boolean => set === 'any' || set.has(v);
  // Minute by minute from the next whole minute, within ten years.
  let t = Math.floor(after / 60_000) * 60_000 + 60_000;
  const limit = after + 10 * 366 * 86_400_000;
  while (t < limit) {
    const d = new Date(t);
    if (!ok(year, d.getUTCFullYear()) || !ok(month, d.getUTCMonth() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      continue;
    }
    // EventBridge's day-of-week: 1 = Sunday.
    if (!ok(dom, d.getUTCDate()) || !ok(dow, d.getUTCDay() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!ok(hours, d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (ok(minutes, d.getUTCMinutes())) return t;
    t += 60_000;
  }
  return undefined;
}

/**
 * EventBridge pattern matching: every key of the pattern must be in the
 * event; a list matches when the event's value (or one of its values) is
 * in it; an object matches the nested object; `{"prefix": "…"}`,
 * `{"exists": true|false}` and `{"anything-but": […]}` match as EventBridge's do.
 */
export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  if (!isJsonObject(event as JsonValue)) return false;
  const e = event as Record<string, unknown>;
  return Object.entries(pattern).every(([key, want]) => {
    const have = e[key];
    if (Array.isArray(want)) {
      const values = Array.isArray(have) ? have : [have];
      return want.some((w) => matchesValue(w, values, key in e));
    }
    if (want !== null && typeof want === 'object') return matchesPattern(want as Record<string, unknown>, have);
    return false;
  });
}

function matchesValue(w: unknown, values: unknown[], present: boolean): boolean {
  if (w !== null && typeof w === 'object') {
    const op = w as { prefix?: string; exists?: boolean; 'anything-but'?: unknown };
    if (op.exists !== undefined) return op.exists === present;
    if (typeof op.prefix === 'string') return values.some((v) => typeof v === 'string' && v.startsWith(op.prefix!));
    if (op['anything-but'] !== undefined) {
      const not = Array.isArray(op['anything-but']) ? op['anything-but'] : [op['anything-but']];
      return present && values.every((v) => !not.includes(v));
    }
    return false;
  }
  return values.some((v) => v === w);
}
