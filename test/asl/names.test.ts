import { isValidName } from '../../lib/asl/names';

describe('isValidName', () => {
  it.each(['orders', 'order.7+retry', 'x'.repeat(80), 'ünïcode-名前'])('takes %s', (name) => expect(isValidName(name)).toBe(true));
  it.each(['', 'x'.repeat(81), 'has space', 'a/b', 'a:b', 'a#b', 'a*b', 'tab\there', 'nul\u0000'])('refuses %j', (name) => expect(isValidName(name)).toBe(false));
});
