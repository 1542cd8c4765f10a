/**
 * Where the functions' code is. In the project's checkout (lambda/*.ts and
 * package-lock.json at the package root) NodejsFunction bundles the sources
 * with the locally installed esbuild (no Docker). An installed package has
 * neither, so it deploys the bundles `npm run build` made in
 * dist/lambda-bundles (scripts/bundle-lambdas.js): a user's synth then needs
 * no esbuild, no lockfile and no access to Switchyard's sources.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where one function's code comes from. */
export type FunctionCode = { kind: 'source'; entry: string; projectRoot: string; depsLockFilePath: string } | { kind: 'bundle'; directory: string };

/**
 * The Switchyard package's root: the nearest folder above this file holding
 * a package.json. Why a walk: this module runs from lib/cdk (tests) and
 * dist/lib/cdk (the built and the installed package).
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${from}: the Switchyard construct finds its functions' code from its package root`);
  }
}

/** The project root of the checkout (the folder holding package.json and package-lock.json). */
export function projectRoot(): string {
  const root = packageRoot();
  if (!fs.existsSync(path.join(root, 'package-lock.json'))) throw new Error(`No package-lock.json in ${root}: this is not Switchyard's checkout`);
  return root;
}

/** The code of the function `name` (transition, invoker, api, schedule, register): its source in a checkout, else its prebuilt bundle. */
export function functionCode(name: string, root: string = packageRoot()): FunctionCode {
  const entry = path.join(root, 'lambda', `${name}.ts`);
  const depsLockFilePath = path.join(root, 'package-lock.json');
  if (fs.existsSync(entry) && fs.existsSync(depsLockFilePath)) return { kind: 'source', entry, projectRoot: root, depsLockFilePath };
  const directory = path.join(root, 'dist', 'lambda-bundles', name);
  if (fs.existsSync(path.join(directory, 'index.js'))) return { kind: 'bundle', directory };
  throw new Error(`The Switchyard function ${name} has neither its source (${entry}) nor its bundle (${directory}/index.js); run \`npm run build\` in Switchyard's checkout`);
}
