/**
 * EventBridge Scheduler's expressions — `rate(value unit)`, `cron(six
 * fields)`, `at(yyyy-mm-ddThh:mm:ss)` — checked at synth so a typo fails
 * `cdk synth` with the fix instead of failing the deployment.
 */

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.+)\)$/;
const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const CRON_FIELD = /^[0-9A-Za-z*?,/#L W-]+$/;

/** Returns what is wrong with `expression`, or undefined when it is a valid schedule expression. */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    if (value < 1) return 'a rate must be at least 1';
    const plural = rate[2]!.endsWith('s');
    if (value === 1 && plural) return `write rate(1 ${rate[2]!.slice(0, -1)}): the unit is singular for 1`;
    if (value > 1 && !plural) return `write rate(${value} ${rate[2]}s): the unit is plural above 1`;
    return undefined;
  }
  if (expression.startsWith('rate(')) return 'a rate is rate(VALUE UNIT) with UNIT minute(s), hour(s) or day(s), e.g. rate(5 minutes)';
  const cron = CRON.exec(expression);
  if (cron) {
    const fields = cron[1]!.trim().split(/\s+/);
    if (fields.length !== 6) return `a cron expression has six fields (minutes hours day-of-month month day-of-week year), this one has ${fields.length}, e.g. cron(0 12 * * ? *)`;
    if (!fields.every((f) => CRON_FIELD.test(f))) return 'a cron field holds only digits, names, and the characters * ? , - / L W #';
    if (fields[2] !== '?' && fields[4] !== '?') return 'one of day-of-month and day-of-week must be ?, e.g. cron(0 12 * * ? *)';
    return undefined;
  }
  const at = AT.exec(expression);
  if (at) {
    const [, y, mo, d, h, mi, s] = at.map(Number) as number[];
    const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
    if (date.getUTCMonth() !== mo! - 1 || date.getUTCDate() !== d! || h! > 23 || mi! > 59 || s! > 59) return 'the date and time of at(...) do not exist';
    return undefined;
  }
  return 'use rate(5 minutes), cron(0 12 * * ? *) or at(2026-12-31T23:59:00)';
}
