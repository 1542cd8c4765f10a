/**
 * A stand-in for an `@aws-sdk/client-<service>` package that is not
 * installed (ECS, Batch, Glue): a client class whose `send` posts each
 * command's input to an endpoint in the JSON protocol (`X-Amz-Target:
 * <prefix>.<Action>`) and answers as the SDK does — the output, or an error
 * named by the response's `__type` with its `$metadata`. Tests load it where
 * the runner would require the real package (`jest.mock(…, { virtual: true })`
 * or the runner's `load` option). Commands are made for any `<Action>Command` asked for.
 */

/** An error the service answered with, as the SDK throws it. */
class ServiceException extends Error {
  constructor(
    name: string,
    message: string,
    readonly $metadata: { httpStatusCode: number; requestId?: string },
  ) {
    super(message);
    this.name = name;
  }
}

interface Command {
  readonly action: string;
  readonly input: unknown;
  readonly middlewareStack: { add(): void };
}

/**
 * The package's exports: `<ClientName>` and every `<Action>Command`.
 * @param targetPrefix the X-Amz-Target prefix, `AmazonEC2ContainerServiceV20141113`
 */
export function jsonClientPackage(clientName: string, serviceId: string, targetPrefix: string): Record<string, unknown> {
  class Client {
    readonly config: { serviceId: string };
    private readonly endpoint: string;
    constructor(options: { endpoint?: string }) {
      if (options.endpoint === undefined) throw new Error(`The ${serviceId} stand-in client needs an endpoint.`);
      this.endpoint = options.endpoint;
      this.config = { serviceId };
    }
    async send(command: Command): Promise<unknown> {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${targetPrefix}.${command.action}` },
        body: JSON.stringify(command.input ?? {}),
      });
      const body = (await response.json()) as Record<string, unknown>;
      const $metadata = { httpStatusCode: response.status, requestId: response.headers.get('x-amzn-requestid') ?? undefined };
      if (response.status >= 400) throw new ServiceException(String(body.__type ?? 'UnknownError'), String(body.message ?? ''), $metadata);
      return { $metadata, ...body };
    }
    destroy(): void {}
  }
  return new Proxy({ [clientName]: Client } as Record<string, unknown>, {
    get(target, key) {
      if (typeof key === 'string' && key.endsWith('Command') && !(key in target)) {
        const action = key.slice(0, -'Command'.length);
        target[key] = class {
          readonly action = action;
          readonly middlewareStack = { add: () => undefined };
          constructor(readonly input: unknown) {}
        };
      }
      return target[key as string];
    },
    ownKeys: (target) => Reflect.ownKeys(target),
    getOwnPropertyDescriptor: (target, key) => Reflect.getOwnPropertyDescriptor(target, key),
  });
}
