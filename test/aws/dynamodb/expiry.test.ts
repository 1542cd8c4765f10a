import { LONGEST_RUN_SECONDS, TIMEOUT_SLACK_SECONDS, WRITE_UNIT_BYTE_SECONDS, runningExpiry, settleTarget, worthSettling, writeUnits } from '../../../lib/aws/dynamodb/expiry';

const DAY = 86_400;
const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;

describe('item expiry', () => {
  it('keeps an item written while the execution runs a year plus the retention after the write', () => {
    expect(runningExpiry({ retentionSeconds: 90 * DAY }, NOW_MS)).toBe(NOW + LONGEST_RUN_SECONDS + 90 * DAY);
  });

  it("keeps it the definition's TimeoutSeconds and a day's slack plus the retention when it has one", () => {
    expect(runningExpiry({ retentionSeconds: 90 * DAY, timeoutSeconds: 3600 }, NOW_MS)).toBe(NOW + 3600 + TIMEOUT_SLACK_SECONDS + 90 * DAY);
  });

  it('never keeps it longer than a year on account of a longer TimeoutSeconds', () => {
    expect(runningExpiry({ retentionSeconds: DAY, timeoutSeconds: 99_999_999 }, NOW_MS)).toBe(NOW + LONGEST_RUN_SECONDS + DAY);
  });

  it("settles an ended execution's items at its end plus the retention", () => {
    expect(settleTarget(90 * DAY, NOW_MS + 999)).toBe(NOW + 90 * DAY);
  });

  it('bills an update one write unit per KB, rounded up', () => {
    expect([writeUnits(1), writeUnits(1024), writeUnits(1025), writeUnits(3000)]).toEqual([1, 1, 2, 3]);
  });

  it('shortens an item only when the storage saved is worth more than the write', () => {
    // 3.65e9 byte-seconds: a 300-byte item 141 days, a 1 KB item 41 days.
    expect(Math.round(WRITE_UNIT_BYTE_SECONDS / 1e7)).toBe(365);
    expect(worthSettling(300, NOW + 366 * DAY, NOW)).toBe(true);
    expect(worthSettling(300, NOW + 100 * DAY, NOW)).toBe(false);
    expect(worthSettling(1000, NOW + 45 * DAY, NOW)).toBe(true);
    expect(worthSettling(1000, NOW + 35 * DAY, NOW)).toBe(false);
  });
});
