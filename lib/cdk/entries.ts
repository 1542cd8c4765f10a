/**
 * Where the functions' code is: `lambda/*.ts` in the project's checkout,
 * else the compiled `dist/lambda/*.js` beside this file. NodejsFunction
 * bundles either with the locally installed esbuild (no Docker).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The project root: the folder holding package.json and package-lock.json. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package-lock.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`No package-lock.json above ${__dirname}: the Switchyard construct bundles its functions from the project's checkout`);
    dir = up;
  }
  return dir;
}

/** The entry file of the function `name` (transition, invoker, api, schedule, register). */
export function functionEntry(name: string): string {
  for (const candidate of [path.join(projectRoot(), 'lambda', `${name}.ts`), path.join(__dirname, '..', '..', 'lambda', `${name}.js`)]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`The Switchyard function ${name} has no entry file under ${path.join(__dirname, '..', '..', 'lambda')}`);
}
