/**
 * The handlers file: Lambda function names mapped to local handler modules,
 * `{"HelloFunction": "./handlers/hello.js#handler"}` (paths relative to the
 * file; the export defaults to `handler`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isJsonObject } from '../../asl/json';
import { HandlersFileError } from './errors';

/** An ordinary Lambda handler: async, or callback-style with three parameters. */
export type LambdaHandler = (event: unknown, context: LambdaContext, callback?: (err: unknown, result?: unknown) => void) => unknown;

/** The parts of Lambda's context object handlers use. */
export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}


/** Reads and validates a handlers file, loading every module it names (so a typo fails before anything runs). */
export function loadHandlersFile(file: string): Map<string, LambdaHandler> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new HandlersFileError(`Cannot read the handlers file ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new HandlersFileError(`The handlers file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!isJsonObject(parsed)) throw new HandlersFileError(`The handlers file ${file} must be a JSON object mapping function names to "./module.js#export"`);
  const base = path.dirname(path.resolve(file));
  const handlers = new Map<string, LambdaHandler>();
  for (const [name, spec] of Object.entries(parsed)) {
    if (typeof spec !== 'string') throw new HandlersFileError(`The handler for '${name}' in ${file} must be a string like "./module.js#handler"`);
    handlers.set(name, loadHandler(spec, base, name));
  }
  return handlers;
}

/** Loads `module#export` relative to `base`. */
export function loadHandler(spec: string, base: string, name: string): LambdaHandler {
  const [modulePath, exportName = 'handler'] = spec.split('#');
  const resolved = modulePath.startsWith('.') || path.isAbsolute(modulePath) ? path.resolve(base, modulePath) : modulePath;
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- handlers are user CommonJS modules loaded at run time.
    mod = require(require.resolve(resolved, { paths: [base] })) as Record<string, unknown>;
  } catch (err) {
    throw new HandlersFileError(`Cannot load the handler module '${modulePath}' for '${name}': ${(err as Error).message.split('\n')[0]}`);
  }
  const handler = mod[exportName];
  if (typeof handler !== 'function') {
    throw new HandlersFileError(`The module '${modulePath}' for '${name}' has no exported function '${exportName}'`);
  }
  return handler as LambdaHandler;
}
