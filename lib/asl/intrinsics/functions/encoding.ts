/** Encoding and hashing intrinsics (developer guide, "Intrinsics for data encoding and decoding" and "for hash calculation"). */
import { createHash } from 'node:crypto';
import type { IntrinsicFunction } from '../signature';

/** "The input string ... must be 10,000 characters or less." */
export const MAX_ENCODING_INPUT = 10_000;

const tooLong = (fn: string) => (args: readonly unknown[]) =>
  typeof args[0] === 'string' && args[0].length > MAX_ENCODING_INPUT
    ? `The input of ${fn} must be at most ${MAX_ENCODING_INPUT} characters, but had ${args[0].length}`
    : undefined;

/** The algorithms States.Hash accepts, mapped to Node's names. */
export const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

export const encodingFunctions: readonly IntrinsicFunction[] = [
  {
    name: 'States.Base64Encode',
    params: ['string'],
    check: tooLong('States.Base64Encode'),
    evaluate: ([text]) => Buffer.from(text as string, 'utf8').toString('base64'),
  },
  {
    name: 'States.Base64Decode',
    params: ['string'],
    check: (args) => {
      const long = tooLong('States.Base64Decode')(args);
      if (long) return long;
      const text = args[0];
      return typeof text === 'string' && !/^[A-Za-z0-9+/]*={0,2}$/.test(text) ? `The input of States.Base64Decode is not valid base64: ${JSON.stringify(text)}` : undefined;
    },
    evaluate: ([text]) => Buffer.from(text as string, 'base64').toString('utf8'),
  },
  {
    // "Calculates the hash value of a given input ... The hashing algorithm: MD5, SHA-1, SHA-256, SHA-384, SHA-512."
    name: 'States.Hash',
    params: ['any', 'string'],
    check: ([data, algorithm]) => {
      if (typeof algorithm === 'string' && !(algorithm in HASH_ALGORITHMS)) {
        return `The hashing algorithm of States.Hash must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}, but was '${algorithm}'`;
      }
      const text = typeof data === 'string' ? data : data === undefined ? '' : JSON.stringify(data);
      return text.length > MAX_ENCODING_INPUT ? `The input of States.Hash must be at most ${MAX_ENCODING_INPUT} characters, but had ${text.length}` : undefined;
    },
    evaluate: ([data, algorithm]) =>
      createHash(HASH_ALGORITHMS[algorithm as string])
        .update(typeof data === 'string' ? data : JSON.stringify(data))
        .digest('hex'),
  },
];
