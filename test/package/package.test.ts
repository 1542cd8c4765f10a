/**
 * The package installs like a library into a user's own CDK app: `npm pack`
 * of the built project, installed into a fresh app (from the npm cache
 * where it can: `--prefer-offline`), imported from
 * `switchyard/cdk`, and synthesized with a state machine that uses
 * DefinitionSubstitutions and a schedule. The app depends on another minor
 * of aws-cdk-lib than the one the project builds with (2.250.0, the
 * project's dev alias `aws-cdk-lib-2-250`), which the construct takes as
 * its peer. A second program uses yet another copy (the project's 2.276,
 * linked in from another path), so every class it hands the construct
 * comes from another copy than the construct's: a DefinitionBody must be
 * recognised by its shape.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appLockfile, type Lockfile } from './app-lockfile';

// npm pack, an install mostly from the cache (aws-cdk-lib is large) and a synth: ~20 s alone, longer on a busy machine.
jest.setTimeout(180_000);

const root = path.join(__dirname, '..', '..');
/** The project's dev alias of an older aws-cdk-lib minor (package.json: `npm:aws-cdk-lib@2.250.0`). */
const PREVIOUS_MINOR = 'aws-cdk-lib-2-250';
const npm = (cwd: string, args: string[]): string => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The user's program: its own aws-cdk-lib, the construct from the installed package. */
const PROGRAM = `
const path = require('node:path');
const cdk = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const sfn = require('aws-cdk-lib/aws-stepfunctions');
const { Switchyard } = require('switchyard/cdk');

const app = new cdk.App({ outdir: process.argv[2] });
const stack = new cdk.Stack(app, 'UserStack', { env: { account: '123456789012', region: 'eu-west-1' } });
const task = new lambda.Function(stack, 'Task', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async (e) => e;') });
const yard = new Switchyard(stack, 'Yard');
yard.addStateMachine('Orders', {
  definition: sfn.DefinitionBody.fromString(JSON.stringify({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: '\${TaskArn}', End: true } } })),
  definitionSubstitutions: { TaskArn: task.functionArn },
  schedules: [{ expression: 'rate(5 minutes)', input: { source: 'schedule' } }],
});
app.synth();
const switchyardDir = path.dirname(require.resolve('switchyard/package.json'));
console.log(JSON.stringify({
  user: require.resolve('aws-cdk-lib'),
  construct: require.resolve('aws-cdk-lib', { paths: [switchyardDir] }),
  library: typeof require('switchyard').LocalRuntime,
}));
`;

describe('the packed package in a user app', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-package-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('installs from its tarball beside aws-cdk-lib 2.250 and synthesizes a state machine with substitutions and a schedule, with that copy and with another', () => {
    for (const built of ['dist/lib/cdk/index.js', 'dist/lambda-bundles/transition/index.js']) {
      if (!fs.existsSync(path.join(root, built))) throw new Error(`${built} is missing: run \`npm run build\` first (npm ci does)`);
    }
    const [packed] = JSON.parse(npm(root, ['pack', '--ignore-scripts', '--json', '--pack-destination', work])) as { filename: string; files: { path: string }[] }[];
    const files = packed!.files.map((f) => f.path);
    expect(files.filter((f) => /(^|\/)test\/|\.test\.|^lambda\/|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/lib/cdk/index.js', 'dist/lib/cdk/index.d.ts', 'dist/lib/index.js', 'dist/bin/switchyard.js', 'dist/lambda-bundles/api/index.js', 'dist/lambda-bundles/register/index.js', 'dist/lambda-bundles/schedule/index.js', 'dist/lambda-bundles/transition/index.js']));

    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.renameSync(path.join(work, packed!.filename), path.join(app, packed!.filename));
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; peerDependencies: Record<string, string>; bin: Record<string, string> };
    const project = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lockfile;
    const lockfile = appLockfile(project, manifest, packed!.filename, npm(app, ['config', 'get', 'registry']).trim(), { 'aws-cdk-lib': PREVIOUS_MINOR });
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'user-app', version: '1.0.0', private: true, dependencies: lockfile.packages['']!.dependencies }, null, 2));
    fs.writeFileSync(path.join(app, 'package-lock.json'), JSON.stringify(lockfile, null, 2));
    // Not `--offline`: the lock marks aws-cdk-lib 2.250's cloud-assembly-schema as bundled, so `npm ci` never caches
    // its tarball, and the app's install must be able to fetch it from the registry.
    npm(app, ['install', '--prefer-offline', '--no-audit', '--no-fund']);
    expect(execFileSync(path.join(app, 'node_modules', '.bin', 'switchyard'), ['--version'], { encoding: 'utf8' }).trim()).toBe(manifest.version);
    const installed = (name: string): string => (JSON.parse(fs.readFileSync(path.join(app, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    expect(installed('aws-cdk-lib')).toBe('2.250.0');

    // The app's own program: one copy of aws-cdk-lib, 2.250, shared with the construct.
    const appOut = path.join(app, 'cdk.app.out');
    fs.writeFileSync(path.join(app, 'main.js'), PROGRAM);
    const shared = JSON.parse(execFileSync(process.execPath, [path.join(app, 'main.js'), appOut], { cwd: app, encoding: 'utf8' })) as { user: string; construct: string };
    expect(fs.realpathSync(shared.user)).toBe(fs.realpathSync(shared.construct));
    expectSynthesized(appOut);

    // The user's own aws-cdk-lib and constructs: the project's copies, linked in from another path.
    const user = path.join(app, 'user');
    fs.mkdirSync(path.join(user, 'node_modules'), { recursive: true });
    for (const name of ['aws-cdk-lib', 'constructs']) fs.symlinkSync(fs.realpathSync(path.join(root, 'node_modules', name)), path.join(user, 'node_modules', name), 'dir');
    fs.writeFileSync(path.join(user, 'main.js'), PROGRAM);
    const outdir = path.join(app, 'cdk.out');
    const copies = JSON.parse(execFileSync(process.execPath, [path.join(user, 'main.js'), outdir], { cwd: app, encoding: 'utf8' })) as { user: string; construct: string; library: string };
    expect(copies.library).toBe('function');
    expect(fs.realpathSync(copies.construct)).toBe(path.join(fs.realpathSync(app), 'node_modules', 'aws-cdk-lib', 'index.js'));
    expect(fs.realpathSync(copies.user)).not.toBe(fs.realpathSync(copies.construct));

    expect((JSON.parse(fs.readFileSync(path.join(copies.user, '..', 'package.json'), 'utf8')) as { version: string }).version).toBe(project.packages['node_modules/aws-cdk-lib']!.version);
    expectSynthesized(outdir);
  });
});

/** The synthesized UserStack: one state machine, its substituted definition and its schedule. */
function expectSynthesized(outdir: string): void {
  const template = JSON.parse(fs.readFileSync(path.join(outdir, 'UserStack.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
  const [machine] = ofType('Custom::SwitchyardStateMachine');
  expect(ofType('Custom::SwitchyardStateMachine')).toHaveLength(1);
  expect(machine![1].Properties.Name).toBe('Orders');
  const taskId = ofType('AWS::Lambda::Function').find(([id]) => id.startsWith('Task'))![0];
  expect(machine![1].Properties.Definition).toEqual({ 'Fn::Join': ['', ['{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"', { 'Fn::GetAtt': [taskId, 'Arn'] }, '","End":true}}}']] });
  const schedules = ofType('AWS::Scheduler::Schedule');
  expect(schedules.map(([, s]) => [s.Properties.ScheduleExpression, s.Properties.State])).toEqual([['rate(5 minutes)', 'ENABLED']]);
}
