/**
 * The `switchyard` CLI, run in-process with captured output: exit codes
 * 0 / 1 / 2, the exact `--json` object, and one clear line for each way the
 * user's input can be wrong.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { GRAPH, RUN, SERVE, VALIDATE } from '../../lib/cli/commands';
import { endQuietlyOnClosedPipe } from '../../lib/cli/io';
import { main } from '../../lib/cli/main';
import { CALLBACK_UNAVAILABLE } from '../../lib/cli/run';

const ROOT = path.resolve(__dirname, '../..');

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: ROOT });
  return { code, stdout, stderr };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

const HELLO = ['examples/hello-world/definition.asl.json', '--input-file', 'examples/hello-world/input.json', '--handlers', 'examples/handlers.json'];

describe('switchyard run', () => {
  it('prints exactly one JSON object with --json and exits 0 on SUCCEEDED', async () => {
    const { code, stdout, stderr } = await cli('run', ...HELLO, '--json');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.endsWith('\n')).toBe(true);
    expect(JSON.parse(stdout)).toEqual({ status: 'SUCCEEDED', output: { message: 'Hello, Switchyard!', length: 2 }, error: null, cause: null, transitions: 2 });
  });

  it('prints a readable summary without --json', async () => {
    const { code, stdout } = await cli('run', ...HELLO);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Status:      SUCCEEDED');
    expect(lines[1]).toBe('Output:      {');
    expect(stdout).toContain('\nTransitions: 2\n');
    expect(stdout).toMatch(/\nTime:        \d+ ms\n/);
    expect(stdout).toMatch(/\nExecution:   arn:aws:states:us-east-1:123456789012:execution:hello-world:[0-9a-f-]{36}\n$/);
  });

  it('exits 1 on FAILED and names the failing state, error and cause', async () => {
    const def = file('fail.json', { StartAt: 'Check', States: { Check: { Type: 'Pass', Next: 'Boom' }, Boom: { Type: 'Fail', Error: 'Oops', Cause: 'It broke' } } });
    const json = await cli('run', def, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ status: 'FAILED', output: null, error: 'Oops', cause: 'It broke', transitions: 2 });
    const text = await cli('run', def);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Status:      FAILED\nState:       Boom\nError:       Oops\nCause:       It broke\nTransitions: 2\n');
  });

  it('reports TIMED_OUT from the top-level TimeoutSeconds', async () => {
    const def = file('timeout.json', { TimeoutSeconds: 5, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } });
    const { code, stdout } = await cli('run', def, '--json', '--time-scale', '0');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'TIMED_OUT', output: null });
  });

  it('takes inline --input and includes the history with --history', async () => {
    const def = file('pass.json', { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true } } });
    const { code, stdout } = await cli('run', def, '--input', '{"n": 21}', '--json', '--history');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.output).toEqual({ doubled: 42 });
    expect(out.history.map((e: { type: string }) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });

  it('runs a mock configuration test case', async () => {
    const { code, stdout } = await cli(
      'run', 'examples/human-approval/definition.asl.json', '--input-file', 'examples/human-approval/input.json',
      '--mock-config', 'examples/human-approval/MockConfigFile.json', '--test-case', 'Rejected', '--json',
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({ status: 'FAILED', output: null, error: 'OrderNotApproved', cause: 'The order was not approved', transitions: 2 });
  });

  it('stops, instead of hanging, when a task waits for a token nothing can send', async () => {
    const { code, stdout, stderr } = await cli('run', 'examples/human-approval/definition.asl.json', '--input-file', 'examples/human-approval/input.json', '--handlers', 'examples/handlers.json', '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'ABORTED', error: CALLBACK_UNAVAILABLE, transitions: 1 });
    expect(stderr).toBe("switchyard run: the state 'RequestApproval' waits for a task token, which only the library API or a server can deliver; stopping.\n");
  });
});

describe('bad input exits 2 with one clear message', () => {
  it.each([
    [['run'], "switchyard: 'run' takes exactly one DEFINITION file, got 0\n"],
    [['run', 'missing.json'], 'switchyard: Cannot read the definition missing.json: no such file\n'],
    [['frobnicate'], "switchyard: Unknown command 'frobnicate'. Commands: run, validate, graph, serve, console (see --help)\n"],
    [['run', 'examples/hello-world/definition.asl.json', '--input', '{"a":'], /^switchyard: The input given with --input is not valid JSON: /],
    [['run', 'examples/hello-world/definition.asl.json', '--input', '{}', '--input-file', 'x.json'], 'switchyard: Use either --input or --input-file, not both\n'],
    [['run', 'examples/hello-world/definition.asl.json', '--mock-config', 'x.json'], 'switchyard: --mock-config and --test-case go together\n'],
    [['run', 'examples/hello-world/definition.asl.json', '--time-scale', 'fast'], "switchyard: --time-scale must be a non-negative number, got 'fast'\n"],
    [['run', 'examples/hello-world/definition.asl.json', '--handlers', 'nope.json'], /^switchyard: Cannot read the handlers file .*nope\.json: ENOENT/],
    [['graph', 'examples/hello-world/definition.asl.json', '--format', 'svg'], "switchyard: --format must be mermaid or dot, got 'svg'\n"],
    [['run', 'examples/hello-world/definition.asl.json', '--bogus'], "switchyard: Unknown option '--bogus' for 'run'. See switchyard run --help\n"],
    [
      ['run', 'examples/hello-world/definition.asl.json', '--redrive'],
      "switchyard: 'run' has no --redrive: a run keeps nothing once its execution ends, so it cannot be redriven. Run it under switchyard serve (with --data to keep it across restarts) and redrive it there: aws stepfunctions redrive-execution --execution-arn ARN\n",
    ],
    [['serve', '--prot', '9000'], "switchyard: Unknown option '--prot' for 'serve'. See switchyard serve --help\n"],
    [['run', 'examples/hello-world/definition.asl.json', '--input'], 'switchyard: --input needs a value (--input JSON). See switchyard run --help\n'],
    [['serve', '--port', '--host', 'h'], 'switchyard: --port needs a value (--port N). See switchyard serve --help\n'],
    [['validate', 'examples/hello-world/definition.asl.json', '--json=yes'], "switchyard: --json takes no value, got 'yes'. See switchyard validate --help\n"],
    [['serve', 'examples'], "switchyard: 'serve' takes no arguments, got 'examples'. See switchyard serve --help\n"],
  ])('%j', async (argv, message) => {
    const { code, stdout, stderr } = await cli(...(argv as string[]));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    if (typeof message === 'string') expect(stderr).toBe(message);
    else expect(stderr).toMatch(message);
  });

  it('names an unknown handler module', async () => {
    const handlers = file('handlers.json', { HelloFunction: './no-such-module.js#handler' });
    const { code, stderr } = await cli('run', 'examples/hello-world/definition.asl.json', '--handlers', handlers);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^switchyard: Cannot load the handler module '\.\/no-such-module\.js' for 'HelloFunction': Cannot find module/);
    expect(stderr.split('\n')).toHaveLength(2);
  });

  it('rejects a definition that is not JSON', async () => {
    const def = file('broken.json', '{"StartAt": ');
    const { code, stderr } = await cli('run', def);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^Invalid state machine definition:\nINVALID_JSON_DESCRIPTION at \/: /);
  });

  it('lists every problem of an invalid definition as CODE at LOCATION: message', async () => {
    const def = file('invalid.json', { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, C: { Type: 'Succeed' } } });
    const run = await cli('run', def);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'Invalid state machine definition:\n' +
        "MISSING_TRANSITION_TARGET at /States/A/Next: Missing 'Next' target: B\n" +
        "UNREACHABLE_STATE at /States/C: State 'C' is not reachable\n" +
        'MISSING_END_STATE at /States: Workflow has no terminal state\n',
    );
  });

  it('fails a run-time error as FAILED, never a crash', async () => {
    const def = file('runtime.json', { StartAt: 'P', States: { P: { Type: 'Pass', InputPath: '$.missing', End: true } } });
    const { code, stdout } = await cli('run', def, '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({
      status: 'FAILED',
      output: null,
      error: 'States.Runtime',
      cause: "An error occurred while executing the state 'P' (entered at the event id #2). Invalid path '$.missing' : No results for path: $['missing']",
      transitions: 1,
    });
  });
});

/** 3,000 Parallel states nested in one another, as text (JSON.stringify overflows the stack this deep). */
function deepParallelText(): string {
  let text = '{"StartAt":"P0","States":{"P0":{"Type":"Pass","End":true}}}';
  for (let i = 1; i <= 3000; i++) text = `{"StartAt":"P${i}","States":{"P${i}":{"Type":"Parallel","End":true,"Branches":[${text}]}}}`;
  return text;
}

/** Where the nesting check reports deepParallelText: the 101st branch down. */
const DEEP_LOCATION = Array.from({ length: 101 }, (_, i) => `/States/P${3000 - i}/Branches/0`).join('');
const DEEP_MESSAGE = 'The definition nests Parallel and Map states more than 100 levels deep';

describe('a definition nested past the limits exits 2 with its diagnostic', () => {
  it('switchyard validate', async () => {
    const def = file('deep.json', deepParallelText());
    expect(await cli('validate', def)).toEqual({ code: 2, stdout: '', stderr: `${def}: invalid\nSCHEMA_VALIDATION_FAILED at ${DEEP_LOCATION}: ${DEEP_MESSAGE}\n` });
  });

  it('switchyard run', async () => {
    const def = file('deep.json', deepParallelText());
    expect(await cli('run', def)).toEqual({ code: 2, stdout: '', stderr: `Invalid state machine definition:\nSCHEMA_VALIDATION_FAILED at ${DEEP_LOCATION}: ${DEEP_MESSAGE}\n` });
  });

  it('switchyard run of 100,000 nested arrays', async () => {
    const def = file('arrays.json', '['.repeat(100_000) + ']'.repeat(100_000));
    const { code, stderr } = await cli('run', def);
    expect(code).toBe(2);
    expect(stderr).toBe(`Invalid state machine definition:\nSCHEMA_VALIDATION_FAILED at ${'/0'.repeat(1000)}: The definition nests JSON objects and arrays more than 1000 levels deep\n`);
  });
});

describe('switchyard validate', () => {
  it('prints ValidateStateMachineDefinition’s response shape with --json', async () => {
    const ok = await cli('validate', 'examples/order-fulfilment/definition.asl.json', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ result: 'OK', diagnostics: [], truncated: false });
    const def = file('v.json', { StartAt: 'Nowhere', States: { A: { Type: 'Succeed' } } });
    const bad = await cli('validate', def, '--json');
    expect(bad.code).toBe(2);
    const out = JSON.parse(bad.stdout);
    expect(out.result).toBe('FAIL');
    expect(out.diagnostics.map((d: { code: string; location: string }) => `${d.code} ${d.location}`)).toContain('MISSING_TRANSITION_TARGET /StartAt');
  });

  it('says valid in text mode', async () => {
    expect(await cli('validate', 'examples/hello-world/definition.asl.json')).toEqual({ code: 0, stdout: 'examples/hello-world/definition.asl.json: valid\n', stderr: '' });
  });
});

describe('switchyard graph', () => {
  it('renders Mermaid by default and dot on request', async () => {
    const mermaid = await cli('graph', 'examples/hello-world/definition.asl.json');
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toBe('flowchart TD\n  s4(("Start"))\n  s1["SayHello<br/>(Task)"]\n  s3["Done<br/>(Pass)"]\n  s2(("End"))\n  s4 --> s1\n  s1 --> s3\n  s3 --> s2\n');
    const dot = await cli('graph', 'examples/hello-world/definition.asl.json', '--format', 'dot');
    expect(dot.stdout.startsWith('digraph StateMachine {\n')).toBe(true);
    expect(dot.stdout).toContain('  s1 -> s3;\n');
  });
});

describe('switchyard --help and --version', () => {
  it('prints usage and the package version', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout.startsWith('Usage:\n  switchyard run DEFINITION')).toBe(true);
    const version = await cli('--version');
    expect(version.stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
    expect((await cli()).code).toBe(2);
  });
});

describe('--help', () => {
  it.each([RUN, VALIDATE, GRAPH, SERVE])('$name --help exits 0 with its usage line and every flag', async (spec) => {
    for (const argv of [[spec.name, '--help'], [spec.name, '-h'], ['help', spec.name]]) {
      const { code, stdout, stderr } = await cli(...argv);
      expect({ code, stderr, usage: stdout.split('\n')[0] }).toEqual({ code: 0, stderr: '', usage: `Usage: switchyard ${spec.name} ${spec.synopsis}` });
      for (const flag of [...Object.keys(spec.flags), 'help']) expect(stdout).toMatch(new RegExp(`^  (-h, )?--${flag}\\b`, 'm'));
    }
  });

  it('answers --help before checking the other arguments', async () => {
    expect(await cli('run', '--bogus', '--help')).toEqual({ code: 0, stdout: expect.stringMatching(/^Usage: switchyard run DEFINITION/) as unknown as string, stderr: '' });
  });
});

describe('a closed stdout (run … --json | head)', () => {
  it('ends the process quietly on EPIPE and rethrows any other stream error', () => {
    const stream = new EventEmitter();
    let exits = 0;
    endQuietlyOnClosedPipe(stream, () => (exits += 1));
    stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(exits).toBe(1);
    expect(() => stream.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }))).toThrow('write EIO');
  });

  const built = path.join(ROOT, 'dist', 'bin', 'switchyard.js');
  (fs.existsSync(built) ? it : it.skip)('prints no stack trace when the reader of the built CLI exits first', () => {
    // `true` reads nothing and exits, so the CLI's write meets a closed pipe.
    const { status, stderr } = spawnSync('sh', ['-c', `"${process.execPath}" "${built}" run ${HELLO.join(' ')} --json --history | true`], { cwd: ROOT, encoding: 'utf8' });
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
  });
});
