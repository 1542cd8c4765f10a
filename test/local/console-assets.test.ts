/**
 * The web console as `switchyard serve` serves it: the page at GET /, its
 * assets under /console/, built by `npm run build` into dist/console.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConsoleDir, isConsolePath, serveConsoleAsset } from '../../lib/local/console-assets';
import { startLocalServer, type LocalServer } from '../../lib/local/server';

const ROOT = path.join(__dirname, '..', '..');
const BUILT = path.join(ROOT, 'dist', 'console');

describe('the built console', () => {
  it('is in dist/console after the build: index.html, app.js and app.css, with no link off the machine', () => {
    expect(fs.readdirSync(BUILT).sort()).toEqual(['app.css', 'app.js', 'index.html']);
    const html = fs.readFileSync(path.join(BUILT, 'index.html'), 'utf8');
    expect(html).toContain('<script src="/console/app.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/console/app.css">');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('is found from the source, the library and the bundled CLI alike', () => {
    expect([path.join(ROOT, 'lib', 'local'), path.join(ROOT, 'dist', 'lib', 'local'), path.join(ROOT, 'dist', 'bin')].map((d) => defaultConsoleDir(d))).toEqual([BUILT, BUILT, BUILT]);
  });
});

describe('switchyard serve and the console', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer({ port: 0 });
  });
  afterAll(async () => server?.close());

  it('serves index.html at GET / as text/html', async () => {
    const res = await fetch(`${server.url}/`);
    expect({ status: res.status, type: res.headers.get('content-type'), body: await res.text() }).toEqual({ status: 200, type: 'text/html; charset=utf-8', body: fs.readFileSync(path.join(BUILT, 'index.html'), 'utf8') });
  });

  it('serves the script and the style sheet under /console/', async () => {
    const js = await fetch(`${server.url}/console/app.js`);
    const css = await fetch(`${server.url}/console/app.css`);
    expect([js.status, js.headers.get('content-type'), css.status, css.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8', 200, 'text/css; charset=utf-8']);
    expect(await js.text()).toBe(fs.readFileSync(path.join(BUILT, 'app.js'), 'utf8'));
  });

  it('answers 404 for a file that is not the console’s, and never reads outside its folder', async () => {
    const missing = await fetch(`${server.url}/console/nope.js`);
    const escape = await fetch(`${server.url}/console/..%2Fpackage.json`);
    expect([missing.status, await missing.text(), escape.status]).toEqual([404, 'No console file /console/nope.js.\n', 404]);
  });

  it('still answers the protocol on POST /', async () => {
    const res = await fetch(`${server.url}/`, { method: 'POST', headers: { 'X-Amz-Target': 'AWSStepFunctions.ListStateMachines', 'Content-Type': 'application/x-amz-json-1.0' }, body: '{}' });
    expect([res.status, await res.text()]).toEqual([200, '{"stateMachines":[]}']);
  });
});

describe('serveConsoleAsset', () => {
  it('says to build the console when index.html is missing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'console-'));
    expect(serveConsoleAsset(empty, '/')).toEqual({ statusCode: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `The console is not built (no ${path.join(empty, 'index.html')}): run \`npm run build\`.\n` });
  });

  it('takes GET and HEAD of / and /console/… only', () => {
    expect([isConsolePath('GET', '/'), isConsolePath('HEAD', '/console/app.js'), isConsolePath('DELETE', '/'), isConsolePath('POST', '/'), isConsolePath('GET', '/nope')]).toEqual([true, true, false, false, false]);
  });
});
