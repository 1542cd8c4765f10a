/** What a CLI command may touch: its output streams and working directory (injected so tests run in-process). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly cwd: string;
  /** A terminal's status line (stderr, when it is a terminal): `switchyard run` shows its progress there. @default none */
  progress?(text: string): void;
  /** The environment (`switchyard serve` reads Step Functions Local's settings from it). @default none */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Exit codes: 0 success, 1 an execution that did not succeed, 2 bad usage or bad input. */
export const ExitCode = { OK: 0, NOT_SUCCEEDED: 1, USAGE: 2 } as const;

/** A problem with what the user gave us; reported as one line on stderr, exit 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Ends the process quietly when the reader of `stream` goes away
 * (`switchyard run … --json | head`): the write fails with EPIPE, which
 * would otherwise be an unhandled 'error' event and a stack trace.
 */
export function endQuietlyOnClosedPipe(stream: NodeJS.EventEmitter, exit: () => void): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') exit();
    else throw err;
  });
}
