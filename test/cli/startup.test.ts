/**
 * What each command and the package entry load: start-up is most of a short
 * `switchyard run`, so each loads only what it needs — never an AWS SDK
 * client or Powertools, the server only for `serve`, the task loaders only
 * for their flags, JSONata and jsonpath-plus only for definitions using them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { CliIo } from '../../lib/cli/io';
import { AWS_RUNTIME_PACKAGES, modulesLoadedBy, requireFromRoot, ROOT } from '../loaded-modules';

const SERVER = ['lib/local/server', 'lib/service/driver', 'lib/service/api/protocol'];
const TASK_LOADERS = ['lib/local/tasks/handlers-file', 'lib/local/tasks/lambda-runner', 'lib/local/tasks/mock-config', 'lib/aws/integrations/sdk-runner'];
const QUERY_PACKAGES = ['jsonata', 'jsonpath-plus'];
const RUNTIME = ['lib/local/runtime', 'lib/engine/step'];

let dir: string;
let onePass: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-startup-'));
  onePass = path.join(dir, 'one.json');
  fs.writeFileSync(onePass, JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const io: CliIo = { stdout: () => undefined, stderr: () => undefined, cwd: ROOT };

async function cliLoads(watched: readonly string[], ...argv: string[]): Promise<{ code: number; loaded: string[] }> {
  let code = -1;
  const loaded = await modulesLoadedBy(watched, async () => {
    code = await requireFromRoot<typeof import('../../lib/cli/main')>('lib/cli/main').main(argv, io);
  });
  return { code, loaded };
}

describe('switchyard run', () => {
  it('loads the in-process runtime and nothing of AWS, the server, the task loaders or the query packages for a Pass state', async () => {
    const { code, loaded } = await cliLoads([...AWS_RUNTIME_PACKAGES, ...SERVER, ...TASK_LOADERS, ...QUERY_PACKAGES, 'lib/local/runtime'], 'run', onePass);
    expect(code).toBe(0);
    expect(loaded).toEqual(['lib/local/runtime']);
  });

  it('loads the handlers loader and the Lambda runner for --handlers, and no mock configuration loader', async () => {
    const { code, loaded } = await cliLoads(
      [...AWS_RUNTIME_PACKAGES, ...TASK_LOADERS],
      'run', 'examples/hello-world/definition.asl.json', '--input-file', 'examples/hello-world/input.json', '--handlers', 'examples/handlers.json',
    );
    expect(code).toBe(0);
    expect(loaded).toEqual(['lib/local/tasks/handlers-file', 'lib/local/tasks/lambda-runner']);
  });
});

describe.each(['validate', 'graph'])('switchyard %s', (command) => {
  it('loads the language only: no runtime, engine, server, task loader, AWS package or query package', async () => {
    const { code, loaded } = await cliLoads([...AWS_RUNTIME_PACKAGES, ...SERVER, ...TASK_LOADERS, ...QUERY_PACKAGES, ...RUNTIME], command, onePass);
    expect(code).toBe(0);
    expect(loaded).toEqual([]);
  });
});

describe('switchyard serve', () => {
  it('runs the service over in-memory ports and loads no AWS package', async () => {
    const loaded = await modulesLoadedBy([...AWS_RUNTIME_PACKAGES, 'lib/local/server'], async () => {
      const { serveCommand } = requireFromRoot<typeof import('../../lib/cli/serve')>('lib/cli/serve');
      const server = await serveCommand({ port: '0', examples: dir }, io);
      await server.close();
    });
    expect(loaded).toEqual(['lib/local/server']);
  });
});

describe('the package entry (lib/index)', () => {
  it('loads no AWS package, no server and no query package on import', async () => {
    const loaded = await modulesLoadedBy([...AWS_RUNTIME_PACKAGES, ...SERVER, ...QUERY_PACKAGES], () => requireFromRoot('lib/index'));
    expect(loaded).toEqual([]);
  });

  it('loads the server on the first startLocalServer', async () => {
    const loaded = await modulesLoadedBy([...AWS_RUNTIME_PACKAGES, 'lib/local/server'], async () => {
      const { startLocalServer } = requireFromRoot<typeof import('../../lib')>('lib/index');
      const server = await startLocalServer({ port: 0 });
      await server.close();
    });
    expect(loaded).toEqual(['lib/local/server']);
  });
});

describe('the built CLI (dist/bin/switchyard.js, as npm ci builds it)', () => {
  const cli = path.join(ROOT, 'dist', 'bin', 'switchyard.js');
  const itBuilt = fs.existsSync(cli) ? it : it.skip;

  itBuilt.each(['run', 'validate', 'graph'])('%s of a Pass state loads no package from node_modules', (command) => {
    // The CLI is one bundle: every package it loads is a separate module in require.cache.
    const report = path.join(dir, `modules-${command}.js`);
    fs.writeFileSync(report, "process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache))));");
    const { status, stderr } = spawnSync(process.execPath, ['--require', report, cli, command, onePass], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    expect(status).toBe(0);
    const packages = (JSON.parse(stderr) as string[]).filter((file) => file.includes(`${path.sep}node_modules${path.sep}`));
    expect(packages).toEqual([]);
  });
});
