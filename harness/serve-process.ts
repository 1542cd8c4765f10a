/**
 * `switchyard serve` as a real child process, for the tests and the soak (npm run test:soak) that kill it
 * with SIGKILL and start it again: the CLI bundled from source once per
 * test file (esbuild), started on a free port, its URL read from its banner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The checkout: the first folder up from here with a package.json (from harness/ in tests, from dist/harness when built). */
const ROOT = ((): string => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

/** Bundles bin/switchyard.ts into `dir` and returns the file to run with node. */
export function bundleCli(dir: string): string {
  const outfile = path.join(dir, 'switchyard.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  esbuild.buildSync({ entryPoints: [path.join(ROOT, 'bin', 'switchyard.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'warning', absWorkingDir: ROOT, nodePaths: [path.join(ROOT, 'node_modules')] });
  return outfile;
}

/** A `switchyard serve` process. */
export interface ServeProcess {
  child: ChildProcess;
  /** Resolves with its URL once it serves. */
  ready: Promise<string>;
  /** Everything it wrote so far. */
  output(): string;
  /** SIGKILL, and resolves when it is gone. */
  kill(): Promise<void>;
}

/** Spawns `node cli serve --port PORT ...args` in `cwd` (a free port when 0). */
export function spawnServe(cli: string, cwd: string, args: readonly string[], port = 0): ServeProcess {
  const child = spawn(process.execPath, [cli, 'serve', '--port', String(port), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') } });
  let text = '';
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const m = /serving the Step Functions API at (http:\/\/\S+)/.exec(text);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`switchyard serve exited (${code}) before serving:\n${text}`)));
  });
  ready.catch(() => undefined); // a process killed before it served is not an error of its own
  return { child, ready, output: () => text, kill: async () => void (child.kill('SIGKILL'), await gone) };
}

/** Spawns `switchyard serve` and resolves with it and its URL once it serves. */
export async function startServe(cli: string, cwd: string, args: readonly string[], port = 0): Promise<ServeProcess & { url: string }> {
  const server = spawnServe(cli, cwd, args, port);
  return { ...server, url: await server.ready };
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Resolves once `test` holds, checking every 10 ms. */
export async function eventually(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((r) => setTimeout(r, 10));
}
