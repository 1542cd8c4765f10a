/**
 * The web console's files (built by `npm run build` into dist/console) as
 * `switchyard serve` answers them: `GET /` is the page, `GET /console/<file>`
 * its assets. The console itself talks to the API only (console/src/api.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProtocolResponse } from '../service/api';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * dist/console of the package this module is part of. Why a walk up: this
 * module runs from lib/local (tests), dist/lib/local (the library) and
 * dist/bin (the bundled CLI), each a different depth below the package root.
 */
export function defaultConsoleDir(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'console');
    if (path.dirname(dir) === dir) return path.join(from, 'console');
  }
}

/** True for the paths the console answers: `/` and `/console/…`. */
export function isConsolePath(method: string, pathname: string): boolean {
  return (method === 'GET' || method === 'HEAD') && (pathname === '/' || pathname.startsWith('/console/'));
}

/**
 * Answers a console path from `dir`: the file with its type, or 404 for a
 * file that is not there (a page that says to build it when index.html is missing).
 */
export function serveConsoleAsset(dir: string, pathname: string): ProtocolResponse {
  const name = pathname === '/' ? 'index.html' : pathname.slice('/console/'.length);
  const type = TYPES[path.extname(name)];
  // Only plain file names: no folders, so nothing outside `dir` can be named.
  const file = path.join(dir, name);
  if (type === undefined || !/^[\w.-]+$/.test(name) || !fs.existsSync(file)) {
    const hint = pathname === '/' ? `The console is not built (no ${file}): run \`npm run build\`.` : `No console file ${pathname}.`;
    return { statusCode: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `${hint}\n` };
  }
  return { statusCode: 200, headers: { 'Content-Type': type, 'Cache-Control': 'no-cache' }, body: fs.readFileSync(file, 'utf8') };
}
