/**
 * The connections file of `switchyard run --connections FILE` and
 * `switchyard serve --connections FILE`: what an HTTP Task's
 * `Authentication.ConnectionArn` stands for on one machine, where there is
 * no EventBridge to hold it —
 * `{"arn:aws:events:…:connection/name/id": {"authorizationType": "API_KEY",
 * "authParameters": {"ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "…"}}}}`
 * (the authParameters as EventBridge's CreateConnection takes them).
 */
import * as fs from 'node:fs';
import { connectionProblem, type ConnectionSource, type HttpConnection } from '../engine/integrations/http-connection';

/** A problem with the connections file; the CLI reports it and exits 2. */
export class ConnectionsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionsFileError';
  }
}

/** The connections of a parsed file, each checked; a ConnectionsFileError lists every problem with where it is. */
export function parseConnections(value: unknown, origin: string): ConnectionSource {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ConnectionsFileError(`${origin} must hold an object mapping connection ARNs to connections.`);
  const problems: string[] = [];
  const connections = new Map<string, HttpConnection>();
  for (const [arn, connection] of Object.entries(value as Record<string, unknown>)) {
    const problem = connectionProblem(connection);
    if (problem) problems.push(`  ${arn}: ${problem}`);
    else connections.set(arn, connection as HttpConnection);
  }
  if (problems.length > 0) throw new ConnectionsFileError(`${origin} has invalid connections:\n${problems.join('\n')}`);
  return { connection: async (arn) => connections.get(arn) };
}

/** Reads a connections file. */
export function loadConnectionsFile(file: string): ConnectionSource {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConnectionsFileError(`Cannot read the connections file ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConnectionsFileError(`The connections file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseConnections(parsed, `The connections file ${file}`);
}

/** No connections: an HTTP Task fails naming its connection and the flag that would give it. */
export const NO_CONNECTIONS: ConnectionSource = { connection: async () => undefined };
