#!/usr/bin/env node
/** The `switchyard` executable: a thin shell around lib/cli. */
import { endQuietlyOnClosedPipe } from '../lib/cli/io';
import { main } from '../lib/cli/main';

for (const stream of [process.stdout, process.stderr]) endQuietlyOnClosedPipe(stream, () => process.exit(process.exitCode ?? 0));

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  ...(process.stderr.isTTY ? { progress: (text: string) => process.stderr.write(text) } : {}),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`switchyard: internal error: ${String(err)}\n`);
    process.exitCode = 2;
  },
);
