/**
 * The `switchyard` command line: run, validate and graph state machines on
 * this machine. Every failure the user can cause is one clear line on stderr
 * and exit code 2; executions that do not succeed exit 1.
 *
 * Each command loads only what it needs, when it runs: `validate` and
 * `graph` only the language (lib/asl), `run` the in-process driver, `serve`
 * the server. Start-up is most of a short `run`, and every module loaded is
 * start-up.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidDefinitionError } from '../asl/diagnostics';
import type { GraphFormat } from '../asl/graph';
import type { JsonObject } from '../asl/json';
import { HandlersFileError, MockConfigError } from '../local/tasks/errors';
import { commandHelp, parseCommandArgs, type CommandSpec, type ParsedArgs } from './args';
import { CONSOLE, GRAPH, RUN, SERVE, VALIDATE } from './commands';
import type { ConsoleArgs } from './console';
import { formatDiagnostics, readText } from './inputs';
import { ServiceError } from '../engine/service-errors';
import { ExitCode, UsageError, type CliIo } from './io';
import type { ServeArgs } from './serve';

export const USAGE = `Usage:
  switchyard run DEFINITION [--input JSON | --input-file FILE] [--handlers FILE]
                 [--mock-config FILE --test-case NAME] [--state-machine-name NAME]
                 [--time-scale N] [--state-machine FILE]... [--aws-limits] [--json] [--history]
  switchyard validate DEFINITION [--json]
  switchyard graph DEFINITION [--format mermaid|dot]
  switchyard serve [--port N] [--host H] [--handlers FILE] [--examples DIR] [--data DIR]
                   [--mock-config FILE] [--triggers FILE] [--logs DIR] [--policy FILE] [--aws-limits] [--quiet]
  switchyard console --endpoint URL [--profile P] [--region R] [--port N] [--signing-name NAME]
  switchyard --help | --version
  switchyard COMMAND --help      (each command's flags)

Exit codes: 0 succeeded (or valid), 1 the execution did not succeed, 2 bad usage, unreadable
or invalid definition, invalid input, or a bad handlers or mock configuration file.
See docs/CLI.md.
`;

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof InvalidDefinitionError) {
      io.stderr(`Invalid state machine definition:\n${formatDiagnostics(err.diagnostics.filter((d) => d.severity === 'ERROR'))}`);
      return ExitCode.USAGE;
    }
    if (err instanceof UsageError || err instanceof HandlersFileError || err instanceof MockConfigError) {
      io.stderr(`switchyard: ${err.message}\n`);
      return ExitCode.USAGE;
    }
    if (err instanceof ServiceError) {
      // What the service would answer StartExecution (an input over --aws-limits' 256 KiB).
      io.stderr(`switchyard: ${err.name}: ${err.message}\n`);
      return ExitCode.USAGE;
    }
    io.stderr(`switchyard: internal error: ${(err as Error).message ?? String(err)}\n`);
    return ExitCode.USAGE;
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const spec = COMMANDS.find((c) => c.name === rest[0]);
  if (command === 'help' && spec !== undefined) {
    io.stdout(commandHelp(spec));
    return ExitCode.OK;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return command === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (command === '--version' || command === '-v') {
    io.stdout(`${version()}\n`);
    return ExitCode.OK;
  }
  switch (command) {
    case 'run':
      return run(rest, io);
    case 'validate':
      return validateCommand(rest, io);
    case 'graph':
      return graph(rest, io);
    case 'serve': {
      const args = parsed(SERVE, rest, io);
      if (args === undefined) return ExitCode.OK;
      const { serveCommand } = require('./serve') as typeof import('./serve');
      await untilStopped(await serveCommand(args.values as ServeArgs, io));
      return ExitCode.OK;
    }
    case 'console': {
      const args = parsed(CONSOLE, rest, io);
      if (args === undefined) return ExitCode.OK;
      const { consoleCommand } = require('./console') as typeof import('./console');
      await untilStopped(await consoleCommand(args.values as ConsoleArgs, io));
      return ExitCode.OK;
    }
    default:
      throw new UsageError(`Unknown command '${command}'. Commands: run, validate, graph, serve, console (see --help)`);
  }
}

/** The parsed arguments, or undefined after printing the command's help for `--help`. */
function parsed(spec: CommandSpec, argv: readonly string[], io: CliIo): Extract<ParsedArgs, { help: false }> | undefined {
  const args = parseCommandArgs(spec, argv);
  if (!args.help) return args;
  io.stdout(commandHelp(spec));
  return undefined;
}

const str = (v: string | boolean | string[] | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const strs = (v: string | boolean | string[] | undefined): string[] => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []);

const COMMANDS: readonly CommandSpec[] = [RUN, VALIDATE, GRAPH, SERVE, CONSOLE];

/** Serves until the process is told to stop. */
function untilStopped(server: { close(): Promise<void> }): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => void server.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function definitionArg(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`'${command}' takes exactly one DEFINITION file, got ${positionals.length}`);
  return positionals[0];
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parsed(RUN, argv, io);
  if (args === undefined) return ExitCode.OK;
  const { values, positionals } = args;
  const { runCommand } = require('./run') as typeof import('./run');
  return runCommand(
    {
      definition: definitionArg(positionals, 'run'),
      input: str(values.input),
      inputFile: str(values['input-file']),
      handlers: str(values.handlers),
      mockConfig: str(values['mock-config']),
      testCase: str(values['test-case']),
      stateMachineName: str(values['state-machine-name']),
      timeScale: str(values['time-scale']),
      endpointUrls: strs(values['endpoint-url']),
      stateMachines: strs(values['state-machine']),
      connections: str(values.connections),
      json: values.json === true,
      history: values.history === true,
      awsLimits: values['aws-limits'] === true,
    },
    io,
  );
}

function validateCommand(argv: string[], io: CliIo): number {
  const args = parsed(VALIDATE, argv, io);
  if (args === undefined) return ExitCode.OK;
  const { values, positionals } = args;
  const file = definitionArg(positionals, 'validate');
  const { validateDefinitionSource } = require('../asl/compile') as typeof import('../asl/compile');
  const diagnostics = validateDefinitionSource(readText(file, io.cwd, 'definition'));
  const ok = !diagnostics.some((d) => d.severity === 'ERROR');
  if (values.json) {
    // The shape of ValidateStateMachineDefinition's response.
    io.stdout(JSON.stringify({ result: ok ? 'OK' : 'FAIL', diagnostics, truncated: false }) + '\n');
  } else if (ok) {
    io.stdout(diagnostics.length === 0 ? `${file}: valid\n` : `${file}: valid, with warnings\n${formatDiagnostics(diagnostics)}`);
  } else {
    io.stderr(`${file}: invalid\n${formatDiagnostics(diagnostics)}`);
  }
  return ok ? ExitCode.OK : ExitCode.USAGE;
}

function graph(argv: string[], io: CliIo): number {
  const args = parsed(GRAPH, argv, io);
  if (args === undefined) return ExitCode.OK;
  const { values, positionals } = args;
  const format = (str(values.format) ?? 'mermaid') as GraphFormat;
  if (format !== 'mermaid' && format !== 'dot') throw new UsageError(`--format must be mermaid or dot, got '${String(values.format)}'`);
  const text = readText(definitionArg(positionals, 'graph'), io.cwd, 'definition');
  const { validateDefinitionSource } = require('../asl/compile') as typeof import('../asl/compile');
  const diagnostics = validateDefinitionSource(text);
  if (diagnostics.some((d) => d.severity === 'ERROR')) throw new InvalidDefinitionError(diagnostics);
  const { renderGraph } = require('../asl/graph') as typeof import('../asl/graph');
  io.stdout(renderGraph(JSON.parse(text) as JsonObject, format));
  return ExitCode.OK;
}

/** The package's version, from the nearest package.json above this file (source or compiled). */
function version(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
