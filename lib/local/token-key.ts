/**
 * The task token key of `switchyard serve --data DIR`: kept in DIR/token-key
 * (readable by its owner only), so the tokens handed out before a restart
 * still complete their tasks after it. Made on first use from the
 * cryptographic generator; without --data each start draws its own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TOKEN_KEY_BYTES, type TaskTokenKey } from '../engine/token';
import { generateTokenKey } from '../service/task-tokens';

/** The file in a data folder that holds the key, hex-encoded. */
export const TOKEN_KEY_FILE = 'token-key';

/** A key file that is not one (wrong length or not hex): refused, not replaced, since that would void every token out. */
export class TokenKeyFileError extends Error {
  override readonly name = 'TokenKeyFileError';
  constructor(readonly file: string) {
    super(`${file} does not hold a task token key (${TOKEN_KEY_BYTES * 2} or more hex digits); remove it to have a new one made`);
  }
}

/** Reads DIR/token-key, or makes it (mode 0600) when there is none. */
export function loadOrCreateTokenKey(dir: string): TaskTokenKey {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, TOKEN_KEY_FILE);
  try {
    // 'wx': two servers starting at once on one folder do not both write a key.
    fs.writeFileSync(file, `${generateTokenKey().toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^(?:[0-9a-f]{2})+$/i.test(text) || text.length < TOKEN_KEY_BYTES * 2) throw new TokenKeyFileError(file);
  return Buffer.from(text, 'hex');
}
