/**
 * The construct deploys its functions from their sources in Switchyard's
 * checkout, and from the prebuilt bundles in an installed package.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { functionCode, packageRoot } from '../../lib/cdk/entries';

describe('functionCode', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-entries-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (file: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), '');
  };

  it('says to build when a package has neither the source nor the bundle', () => {
    expect(() => functionCode('api', root)).toThrow(`The Switchyard function api has neither its source (${root}/lambda/api.ts) nor its bundle (${root}/dist/lambda-bundles/api/index.js); run \`npm run build\` in Switchyard's checkout`);
  });

  it('deploys the prebuilt bundle from an installed package (no sources, no lockfile)', () => {
    write('dist/lambda-bundles/api/index.js');
    write('lambda/api.ts');
    expect(functionCode('api', root)).toEqual({ kind: 'bundle', directory: path.join(root, 'dist', 'lambda-bundles', 'api') });
  });

  it('bundles the source in a checkout (the source and package-lock.json)', () => {
    write('package-lock.json');
    expect(functionCode('api', root)).toEqual({ kind: 'source', entry: path.join(root, 'lambda', 'api.ts'), projectRoot: root, depsLockFilePath: path.join(root, 'package-lock.json') });
  });

  it("finds the package root from this module's folder", () => {
    expect(packageRoot(path.join(__dirname, '..', '..', 'lib', 'cdk'))).toBe(path.join(__dirname, '..', '..'));
  });
});
