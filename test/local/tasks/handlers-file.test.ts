/** The handlers file: function names to local handler modules, every problem named before anything runs. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HandlersFileError, loadHandlersFile } from '../../../lib/local/tasks';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-handlers-'));
  fs.writeFileSync(path.join(dir, 'fns.js'), 'exports.handler = async () => 1; exports.other = async () => 2; exports.notAFunction = 3;\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(content: string): string {
  const file = path.join(dir, `handlers-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, content);
  return file;
}

describe('loadHandlersFile', () => {
  it('loads modules relative to the file, defaulting the export to handler', async () => {
    const handlers = loadHandlersFile(write('{"A": "./fns.js", "B": "./fns.js#other"}'));
    expect([...handlers.keys()]).toEqual(['A', 'B']);
    expect(await handlers.get('A')!({}, {} as never)).toBe(1);
    expect(await handlers.get('B')!({}, {} as never)).toBe(2);
  });

  it('names a missing file, malformed JSON and a non-object', () => {
    expect(() => loadHandlersFile(path.join(dir, 'absent.json'))).toThrow(HandlersFileError);
    expect(() => loadHandlersFile(path.join(dir, 'absent.json'))).toThrow(/^Cannot read the handlers file .*absent\.json: ENOENT/);
    const bad = write('{"A": ');
    expect(() => loadHandlersFile(bad)).toThrow(new RegExp(`^The handlers file ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON: `));
    expect(() => loadHandlersFile(write('[1]'))).toThrow(/must be a JSON object mapping function names to "\.\/module\.js#export"$/);
    expect(() => loadHandlersFile(write('{"A": 1}'))).toThrow(/^The handler for 'A' in .* must be a string like "\.\/module\.js#handler"$/);
  });

  it('names an unknown module and a missing export', () => {
    expect(() => loadHandlersFile(write('{"A": "./nope.js"}'))).toThrow(/^Cannot load the handler module '\.\/nope\.js' for 'A': Cannot find module/);
    expect(() => loadHandlersFile(write('{"A": "./fns.js#missing"}'))).toThrow("The module './fns.js' for 'A' has no exported function 'missing'");
    expect(() => loadHandlersFile(write('{"A": "./fns.js#notAFunction"}'))).toThrow("The module './fns.js' for 'A' has no exported function 'notAFunction'");
  });
});
