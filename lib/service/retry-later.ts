/** Thrown when a message cannot be processed yet; the queue redelivers it later. */
export class RetryLaterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLaterError';
  }
}
