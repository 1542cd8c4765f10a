import { matchesPattern, nextFireTime, parseTriggers } from '../../lib/local/triggers';

const T = Date.UTC(2026, 10, 27, 10, 30, 15); // a Friday

describe('schedule expressions (EventBridge syntax)', () => {
  it('fires a rate one period after the last time', () => {
    expect(nextFireTime('rate(5 minutes)', T)).toBe(T + 300_000);
    expect(nextFireTime('rate(1 hour)', T)).toBe(T + 3_600_000);
    expect(() => nextFireTime('rate(1 hours)', T)).toThrow("Invalid rate expression 'rate(1 hours)': use '1 hour'");
    expect(() => nextFireTime('rate(0 minutes)', T)).toThrow('the value must be 1 or more');
  });

  it('fires at() once, in UTC', () => {
    expect(nextFireTime('at(2026-11-27T11:00:00)', T)).toBe(Date.UTC(2026, 10, 27, 11, 0, 0));
    expect(nextFireTime('at(2026-11-27T10:00:00)', T)).toBeUndefined();
  });

  it('finds the next minute a cron() expression matches, day-of-week 1 being Sunday', () => {
    expect(nextFireTime('cron(0 12 * * ? *)', T)).toBe(Date.UTC(2026, 10, 27, 12, 0));
    expect(nextFireTime('cron(15,45 * * * ? *)', T)).toBe(Date.UTC(2026, 10, 27, 10, 45));
    expect(nextFireTime('cron(0 9 ? * 2 *)', T)).toBe(Date.UTC(2026, 10, 30, 9, 0)); // the next Monday
    expect(nextFireTime('cron(0/20 8-10 1 * ? *)', T)).toBe(Date.UTC(2026, 11, 1, 8, 0));
    expect(() => nextFireTime('cron(0 25 * * ? *)', T)).toThrow("'25' is outside 0-23");
    expect(() => nextFireTime('cron(0 12 * *)', T)).toThrow('six fields');
  });

  it('refuses an expression it cannot read', () => {
    expect(() => nextFireTime('every day', T)).toThrow("Invalid schedule expression 'every day'");
  });
});

describe('event patterns', () => {
  const event = { source: 'shop', 'detail-type': 'OrderPlaced', detail: { total: 42, region: 'eu-west-1', tags: ['vip', 'new'] } };
  it('matches values in lists, nested objects and list-valued fields', () => {
    expect(matchesPattern({ source: ['shop'], detail: { tags: ['vip'] } }, event)).toBe(true);
    expect(matchesPattern({ source: ['billing'] }, event)).toBe(false);
    expect(matchesPattern({ detail: { total: [41, 42] } }, event)).toBe(true);
  });
  it('supports prefix, exists and anything-but', () => {
    expect(matchesPattern({ detail: { region: [{ prefix: 'eu-' }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { coupon: [{ exists: false }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { total: [{ exists: true }] } }, event)).toBe(true);
    expect(matchesPattern({ 'detail-type': [{ 'anything-but': ['OrderCancelled'] }] }, event)).toBe(true);
    expect(matchesPattern({ 'detail-type': [{ 'anything-but': 'OrderPlaced' }] }, event)).toBe(false);
  });
});

describe('the triggers file', () => {
  it('names what is wrong', () => {
    expect(() => parseTriggers([])).toThrow('A triggers file must be a JSON object');
    expect(() => parseTriggers({ schedules: [{ name: 'x', stateMachine: 'y' }] })).toThrow('schedules[0] needs a name, a stateMachine and an expression');
    expect(() => parseTriggers({ schedules: [{ name: 'x', stateMachine: 'y', expression: 'rate(2 minute)' }] })).toThrow("use '2 minutes'");
    expect(() => parseTriggers({ rules: [{ name: 'r', stateMachine: 'y' }] })).toThrow('rules[0] needs a name, a stateMachine and an eventPattern');
  });
});
