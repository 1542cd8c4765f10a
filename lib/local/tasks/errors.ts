/**
 * The errors of the local task configuration files, apart from the loaders
 * that throw them, so the CLI can recognise them without loading a loader
 * that the command line did not ask for.
 */

/** A problem with the handlers file or a module it names; the CLI reports it and exits 2. */
export class HandlersFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandlersFileError';
  }
}

/** A problem in a mock configuration file; the CLI reports it and exits 2. */
export class MockConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MockConfigError';
  }
}
