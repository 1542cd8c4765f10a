/**
 * Values that are usually ready now and only sometimes later.
 *
 * JSONPath processing is synchronous; JSONata evaluation may be
 * asynchronous. Wrapping every state's processing in promises would make
 * the common JSONPath transition pay for a microtask hop and a promise per
 * step, so the engine passes plain values through and awaits only when a
 * promise actually appears.
 */
export type Awaitable<T> = T | Promise<T>;

/** True when `value` is a promise (JSON values never are). */
export function isPromise<T>(value: Awaitable<T>): value is Promise<T> {
  return value instanceof Promise;
}

/**
 * Computes `first()`, then `next(value)`, synchronously when nothing is a
 * promise. Any error, thrown or rejected, from either goes to `onError`.
 */
export function chain<T, R>(first: () => Awaitable<T>, next: (value: T) => Awaitable<R>, onError: (err: unknown) => Awaitable<R>): Awaitable<R> {
  let value: Awaitable<T>;
  try {
    value = first();
  } catch (err) {
    return onError(err);
  }
  if (isPromise(value)) return value.then(next).catch(onError);
  try {
    const result = next(value);
    return isPromise(result) ? result.catch(onError) : result;
  } catch (err) {
    return onError(err);
  }
}

/** An `onError` for inner chains whose errors the outer chain handles. */
export function rethrow(err: unknown): never {
  throw err;
}
