#!/usr/bin/env node
/** The `switchyard` executable: a thin shell around lib/cli. */
import { main } from '../lib/cli/main';

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`switchyard: internal error: ${String(err)}\n`);
    process.exitCode = 2;
  },
);
